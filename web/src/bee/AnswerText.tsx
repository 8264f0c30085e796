// An answer's text with its [n] markers turned into links that open the cited passage.
import { Link } from 'react-router';
import type { MessageFieldsFragment } from '../gql/graphql';
import { passageLink } from '../search/SearchPage';

type Citation = MessageFieldsFragment['citations'][number];

export function AnswerText({ text, citations }: { text: string; citations: readonly Citation[] }) {
  const byIndex = new Map(citations.map((c) => [c.index, c]));
  const parts = text.split(/(\[\d+\])/g);
  return (
    <p className="answer-text">
      {parts.map((part, i) => {
        const index = /^\[(\d+)\]$/.exec(part)?.[1];
        const citation = index ? byIndex.get(Number(index)) : undefined;
        if (!citation) return part;
        return (
          <Link
            key={i}
            className="citation-marker"
            to={passageLink(citation.document.id, citation.chunkId)}
            title={`${citation.document.title}${citation.page != null ? `, page ${citation.page}` : ''}`}
            aria-label={`Source ${citation.index}: ${citation.document.title}`}
          >
            [{citation.index}]
          </Link>
        );
      })}
    </p>
  );
}
