// A document's original file, for anyone who may read the document's jar (knowledge decides, through the
// `document` query), decrypted as it streams, in two ways that share everything but their headers:
// - GET /api/v1/documents/:id/download saves it: an attachment with its own content type;
// - GET /api/v1/documents/:id/view shows it in the browser's tab (a citation opens a PDF at its page with
//   `#page=N`), for the types a browser shows without running anything of the file's on the platform's origin.
// The stored title, with its type's extension, names the file; it is quoted for the header, never used as a path.
// A `Range` of one span of bytes is answered with just those (206: a PDF reader fetching the pages it shows, a
// download resumed), the file's ETag (its content hash) holding an `If-Range` to the same bytes; byte-range.ts
// decides what a header asks for.
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { NotFoundError } from '@sting/kit/errors.ts';
import { sendHttpError } from '../rest/respond.ts';
import { byteRange } from './byte-range.ts';
import type { HttpRouteFactory } from '../http-routes.ts';
import type { HttpCall, HttpRoute } from '../pipeline/http-route.ts';
import { blobStoreFrom, type BlobStoreSource } from './blob-access.ts';
import { operationFailure } from './operation-errors.ts';

const FIND = `query DownloadDocument($id: ID!) { document(id: $id) { id title contentType size contentHash fileType } }`;

interface Found {
  id: string;
  title: string;
  contentType: string;
  size: number;
  contentHash: string;
  fileType: string;
}

// The extensions each detected type is saved under, the first one added when the title has none of them, so a
// document titled "Annual report" downloads as "Annual report.pdf" and opens in the right program.
const EXTENSIONS: Record<string, readonly string[]> = {
  pdf: ['pdf'],
  docx: ['docx'],
  xlsx: ['xlsx'],
  pptx: ['pptx'],
  html: ['html', 'htm', 'xhtml'],
  markdown: ['md', 'markdown'],
  text: ['txt', 'text', 'log'],
  json: ['json'],
  csv: ['csv'],
};

export function downloadName(title: string, fileType: string): string {
  const extensions = EXTENSIONS[fileType];
  if (!extensions) return title;
  const given = /\.([^.]+)$/.exec(title)?.[1]?.toLowerCase();
  return given !== undefined && extensions.includes(given) ? title : `${title}.${extensions[0]}`;
}

/**
 * RFC 6266 filename: an ASCII fallback and the UTF-8 name, so no quote or control character reaches the header.
 * The UTF-8 name escapes what RFC 8187 leaves out of a value and encodeURIComponent does not: ' ( ) * (a `'` would
 * end the charset's language part).
 */
function disposition(type: 'attachment' | 'inline', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const utf8 = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

const TEXT = 'text/plain; charset=utf-8';

/**
 * What /view shows in the tab, by detected type. Text of every kind is plain text: HTML above all, which as
 * text/html would run its scripts on the platform's origin (its markup is shown instead), and JSON, which some
 * browsers hand to viewers of their own. Text is UTF-8 unless a byte-order mark says UTF-16, which browsers heed
 * over the charset. DOCX, XLSX and PPTX are not here: no browser shows them, so they come as the download does.
 */
const VIEWED_AS: Record<string, string> = {
  pdf: 'application/pdf',
  text: TEXT,
  markdown: TEXT,
  csv: TEXT,
  json: TEXT,
  html: TEXT,
};

/**
 * The page's policy: nothing loaded, nothing framing it, no form sent. Text is also sandboxed (an opaque origin,
 * no scripts), should a browser ever take it for something else. A PDF is not: Chromium's PDF viewer refused a
 * sandboxed page for years (Chromium 150 shows one), and a PDF gains nothing from it, since a browser's viewer
 * never runs the file's own scripts on the platform's origin.
 */
const VIEW_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The headers that say what the file is and what the browser does with it. */
type Presentation = (doc: Found) => Record<string, string>;

const saved: Presentation = (doc) => ({
  'content-type': doc.contentType,
  'content-disposition': disposition('attachment', downloadName(doc.title, doc.fileType)),
});

const shown: Presentation = (doc) => {
  const type = VIEWED_AS[doc.fileType];
  if (!type) return saved(doc);
  return {
    'content-type': type,
    'content-disposition': disposition('inline', downloadName(doc.title, doc.fileType)),
    'content-security-policy': type === TEXT ? `${VIEW_CSP}; sandbox` : VIEW_CSP,
  };
};

function documentFileRoute(
  blobs: BlobStoreSource,
  route: Pick<HttpRoute, 'name' | 'path'>,
  present: Presentation,
): HttpRoute {
  return {
    ...route,
    method: 'GET',
    async handle(call: HttpCall) {
      const result = await call.runOperation({ query: FIND, variables: { id: call.params.id } });
      if (result.errors?.length) throw operationFailure(result.errors);
      const doc = (result.data as { document: Found | null }).document;
      if (!doc) throw new NotFoundError('Document', call.params.id);
      const etag = `"${doc.contentHash}"`;
      const headers = {
        ...present(doc),
        'x-content-type-options': 'nosniff',
        // Only pages of this origin may load it (another site's <img> or <script> pointing here gets nothing).
        'cross-origin-resource-policy': 'same-origin',
        'cache-control': 'private, no-store',
        'accept-ranges': 'bytes',
        etag,
      };
      const { range, 'if-range': ifRange } = call.req.headers;
      // Several If-Range fields never name this file's ETag alone: the whole file.
      const validator = Array.isArray(ifRange) ? ifRange.join(', ') : ifRange;
      const asked = byteRange(range, doc.size, { header: validator, etag });
      if (asked === 'unsatisfiable') {
        sendHttpError(
          call.res,
          416,
          {
            code: 'RANGE_NOT_SATISFIABLE',
            message: `The file has ${doc.size} bytes; the range asked for holds none of them`,
          },
          call.requestId,
          { 'content-range': `bytes */${doc.size}`, 'accept-ranges': 'bytes' },
        );
        return;
      }
      // HEAD (a download manager sizing up the file, `curl -I`): the same headers, and no file opened. Otherwise
      // the bytes are opened before the status is sent, so a blob missing or failing its check is an error
      // answer, not a 200 or 206 cut short.
      const part = asked === 'whole' ? undefined : asked;
      let body: Readable | undefined;
      if (call.req.method !== 'HEAD') {
        const store = await blobs();
        body = part
          ? await store.readRange(doc.contentHash, part.start, part.end)
          : await store.read(doc.contentHash);
      }
      call.res.writeHead(part ? 206 : 200, {
        ...headers,
        ...(part
          ? {
              'content-length': String(part.end - part.start + 1),
              'content-range': `bytes ${part.start}-${part.end}/${doc.size}`,
            }
          : { 'content-length': String(doc.size) }),
      });
      if (body) await pipeline(body, call.res);
      else call.res.end();
    },
  };
}

// One blob store for both: a PDF viewer's ranges after a download (or the other way round) reuse the check of the
// whole file the store remembers.
export const documentFileRoutes: HttpRouteFactory = (deps) => {
  const blobs = blobStoreFrom(deps);
  return [
    documentFileRoute(blobs, { name: 'documents.download', path: '/api/v1/documents/:id/download' }, saved),
    documentFileRoute(blobs, { name: 'documents.view', path: '/api/v1/documents/:id/view' }, shown),
  ];
};
