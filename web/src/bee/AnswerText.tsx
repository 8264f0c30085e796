// An answer as a person reads it: the Markdown a model writes (paragraphs, lists, code, emphasis) rendered as
// elements, with its [n] markers turned into links that open the cited source (CitationLink: a PDF at its page, or
// the passage in its document). Only that subset is read, and it is built as React elements, never as HTML: an
// answer can carry text from the documents, so a link or an image it writes (which could lead somewhere else or
// send something there) is shown as its text alone.
import type { ReactNode } from 'react';
import type { MessageFieldsFragment } from '../gql/graphql';
import { CitationLink } from './CitationLink';

type Citation = MessageFieldsFragment['citations'][number];

export type AnswerBlock =
  | { kind: 'paragraph'; lines: string[] }
  | { kind: 'heading'; text: string }
  | { kind: 'list'; ordered: boolean; start: number; items: string[] }
  | { kind: 'code'; text: string };

const BULLET = /^\s{0,3}[-*\u2022]\s+(.*)$/u;
const NUMBERED = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/u;
const HEADING = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/u;
const FENCE = /^\s{0,3}(```|~~~)/u;

/** The answer's blocks, read line by line; an unclosed code fence (an answer still streaming) runs to the end. */
export function answerBlocks(text: string): AnswerBlock[] {
  const blocks: AnswerBlock[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const fence = FENCE.exec(line);
    if (fence) {
      const code: string[] = [];
      while (++i < lines.length && !lines[i].trimStart().startsWith(fence[1])) code.push(lines[i]);
      blocks.push({ kind: 'code', text: code.join('\n') });
      continue;
    }
    if (line.trim() === '') continue;
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', text: heading[1] });
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    const last = blocks.at(-1);
    if (bullet || numbered) {
      const ordered = numbered !== null;
      const item = bullet ? bullet[1] : numbered![2];
      if (last?.kind === 'list' && last.ordered === ordered) last.items.push(item);
      else blocks.push({ kind: 'list', ordered, start: numbered ? Number(numbered[1]) : 1, items: [item] });
      continue;
    }
    // A line after a list item that does not start another one continues that item (a wrapped line).
    if (last?.kind === 'list' && lines[i - 1]?.trim() !== '' && /^\s/.test(line)) {
      last.items[last.items.length - 1] += ` ${line.trim()}`;
      continue;
    }
    if (last?.kind === 'paragraph' && lines[i - 1]?.trim() !== '') last.lines.push(line);
    else blocks.push({ kind: 'paragraph', lines: [line] });
  }
  return blocks;
}

// `code`, **strong**, *emphasis* or _emphasis_, a [n] marker, a [text](link) or ![text](image).
const INLINE =
  /(`[^`\n]+`)|\*\*([^*\n]+?)\*\*|(?<![\p{L}\p{N}*])[*_]([^*_\s](?:[^*_\n]*[^*_\s])?)[*_](?![\p{L}\p{N}*])|\[(\d{1,3})\]|!?\[([^\]\n]*)\]\([^)\n]*\)/gu;

function inline(text: string, cite: (index: number, key: string) => ReactNode, key: string): ReactNode[] {
  const nodes: ReactNode[] = [];
  let at = 0;
  let n = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > at) nodes.push(text.slice(at, match.index));
    const k = `${key}.${n++}`;
    const [whole, code, strong, emphasis, marker, linkText] = match;
    if (code) nodes.push(<code key={k}>{code.slice(1, -1)}</code>);
    else if (strong !== undefined) nodes.push(<strong key={k}>{inline(strong, cite, k)}</strong>);
    else if (emphasis !== undefined) nodes.push(<em key={k}>{inline(emphasis, cite, k)}</em>);
    else if (marker !== undefined) nodes.push(cite(Number(marker), k) ?? whole);
    else nodes.push(linkText ?? '');
    at = match.index + whole.length;
  }
  if (at < text.length) nodes.push(text.slice(at));
  return nodes;
}

export function AnswerText({ text, citations }: { text: string; citations: readonly Citation[] }) {
  const byIndex = new Map(citations.map((c) => [c.index, c]));
  const cite = (index: number, key: string): ReactNode => {
    const citation = byIndex.get(index);
    if (!citation) return null;
    return (
      <CitationLink
        key={key}
        citation={citation}
        className="citation-marker"
        title={`${citation.document.title}${citation.page != null ? `, page ${citation.page}` : ''}`}
        label={`Source ${citation.index}: ${citation.document.title}`}
      >
        [{citation.index}]
      </CitationLink>
    );
  };
  return (
    <div className="answer-text">
      {answerBlocks(text).map((block, b) => {
        const key = String(b);
        switch (block.kind) {
          case 'code':
            return (
              <pre key={key}>
                <code>{block.text}</code>
              </pre>
            );
          case 'heading':
            return (
              <p key={key}>
                <strong>{inline(block.text, cite, key)}</strong>
              </p>
            );
          case 'list': {
            const items = block.items.map((item, i) => <li key={i}>{inline(item, cite, `${key}.${i}`)}</li>);
            return block.ordered ? (
              <ol key={key} start={block.start}>
                {items}
              </ol>
            ) : (
              <ul key={key}>{items}</ul>
            );
          }
          default:
            return (
              <p key={key}>
                {block.lines.flatMap((line, i) => [
                  ...(i > 0 ? [<br key={`${key}.br${i}`} />] : []),
                  ...inline(line, cite, `${key}.${i}`),
                ])}
              </p>
            );
        }
      })}
    </div>
  );
}
