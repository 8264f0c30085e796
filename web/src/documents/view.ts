// The original file shown in a browser tab (GET /api/v1/documents/{id}/view): a PDF as itself, text of every
// kind (HTML included, as its markup) as plain text. Word, Excel and PowerPoint files are only downloaded.

/** The detected types the gateway shows in the tab rather than sending as an attachment. */
const VIEWABLE: ReadonlySet<string> = new Set(['pdf', 'text', 'markdown', 'csv', 'json', 'html']);

export function isViewable(fileType: string): boolean {
  return VIEWABLE.has(fileType.toLowerCase());
}

/** The original in the tab; for a PDF, `page` opens it at that page (the browser's viewer reads `#page=N`). */
export function viewLink(documentId: string, page?: number | null): string {
  const path = `/api/v1/documents/${encodeURIComponent(documentId)}/view`;
  return page != null ? `${path}#page=${page}` : path;
}
