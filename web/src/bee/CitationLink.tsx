// Where a citation of Bee's leads: a passage of a PDF opens the PDF itself at its page, in a new tab (the person
// sees the source as it is laid out); any other passage opens in its document here, scrolled to and marked.
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { CitationFieldsFragment } from '../gql/graphql';
import { viewLink } from '../documents/view';
import { passageLink } from '../search/SearchPage';

/** The PDF page a citation points at, if it points at one: only a PDF's passages carry a page (slides and sheets
 * have fields of their own), so a page means a PDF. */
export function citedPdfPage(citation: Pick<CitationFieldsFragment, 'page'>): number | null {
  return citation.page ?? null;
}

export function CitationLink(props: {
  citation: CitationFieldsFragment;
  /** The link's accessible name; a PDF's adds its page and that it opens a new tab. */
  label: string;
  className?: string;
  title?: string;
  children: ReactNode;
}) {
  const { citation, label, className, title, children } = props;
  const page = citedPdfPage(citation);
  if (page !== null)
    return (
      <a
        className={className}
        title={title}
        aria-label={`${label}, page ${page} (opens in a new tab)`}
        href={viewLink(citation.document.id, page)}
        target="_blank"
        rel="noopener noreferrer"
      >
        {children}
      </a>
    );
  return (
    <Link
      className={className}
      title={title}
      aria-label={label}
      to={passageLink(citation.document.id, citation.chunkId)}
    >
      {children}
    </Link>
  );
}
