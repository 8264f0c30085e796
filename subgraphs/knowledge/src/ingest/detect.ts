// What a file really is: magic bytes first, the file name's extension only for formats without any (text,
// Markdown, HTML, JSON, CSV). A name that contradicts the content is refused, not guessed around.
import type { FileType, FileTypeDetection } from './types.ts';
import { textEncoding } from './formats/text.ts';

const CONTENT_TYPES: Record<FileType, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  html: 'text/html',
  markdown: 'text/markdown',
  text: 'text/plain',
  json: 'application/json',
  csv: 'text/csv',
};

const EXTENSIONS: Record<string, FileType> = {
  pdf: 'pdf',
  docx: 'docx',
  xlsx: 'xlsx',
  pptx: 'pptx',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  md: 'markdown',
  markdown: 'markdown',
  txt: 'text',
  text: 'text',
  log: 'text',
  json: 'json',
  csv: 'csv',
};

const ZIP_TYPES: readonly FileType[] = ['docx', 'xlsx', 'pptx'];
const LABEL: Record<FileType, string> = {
  pdf: 'PDF',
  docx: 'Word (DOCX)',
  xlsx: 'Excel (XLSX)',
  pptx: 'PowerPoint (PPTX)',
  html: 'HTML',
  markdown: 'Markdown',
  text: 'plain text',
  json: 'JSON',
  csv: 'CSV',
};

/** Binary formats we recognise only to name them in the refusal. */
const FOREIGN: readonly [bytes: number[], what: string][] = [
  [
    [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    'a legacy or password-protected Office file (.doc/.xls/.ppt)',
  ],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x1f, 0x8b], 'a gzip archive'],
  [[0x7f, 0x45, 0x4c, 0x46], 'an executable'],
  [[0x4d, 0x5a], 'a Windows executable'],
  [[0x52, 0x61, 0x72, 0x21], 'a RAR archive'],
  [[0x37, 0x7a, 0xbc, 0xaf], 'a 7-Zip archive'],
  [[0x7b, 0x5c, 0x72, 0x74, 0x66], 'an RTF document'],
];

const startsWith = (head: Uint8Array, bytes: readonly number[], at = 0): boolean =>
  head.length >= at + bytes.length && bytes.every((b, i) => head[at + i] === b);

function extensionOf(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** A PDF may have junk before its header; readers accept `%PDF-` within the first 1 KB. */
function isPdf(head: Uint8Array): boolean {
  const limit = Math.min(head.length, 1024);
  for (let i = 0; i + 5 <= limit; i++) if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d], i)) return true;
  return false;
}

/** The Office type a zip's first entries reveal (their names are in the clear in local headers). */
function officeTypeInZip(head: Uint8Array): FileType | null {
  const names = new TextDecoder('latin1').decode(head.subarray(0, Math.min(head.length, 64 * 1024)));
  if (names.includes('word/')) return 'docx';
  if (names.includes('xl/')) return 'xlsx';
  if (names.includes('ppt/')) return 'pptx';
  return null;
}

/**
 * Text when the head decodes, in the encoding its byte-order mark names (UTF-8 without one), with no NUL character
 * (a character cut at the end is fine).
 */
function looksLikeText(head: Uint8Array): boolean {
  const encoding = textEncoding(head);
  // UTF-16 is read in whole code units, and up to a pair of them may be cut at the end.
  const end = encoding === 'utf-8' ? head.length - 3 : (head.length & ~1) - 4;
  try {
    const text = new TextDecoder(encoding, { fatal: true }).decode(head.subarray(0, Math.max(0, end)));
    return !text.includes('\u0000') && (encoding !== 'utf-8' || !head.includes(0));
  } catch {
    return false;
  }
}

function sniffText(head: Uint8Array): FileType {
  const start = new TextDecoder(textEncoding(head))
    .decode(head.subarray(0, 512))
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (start.startsWith('<!doctype html') || start.startsWith('<html')) return 'html';
  if (start.startsWith('{') || start.startsWith('[')) return 'json';
  if (start.startsWith('#')) return 'markdown';
  return 'text';
}

const ok = (fileType: FileType): FileTypeDetection => ({
  ok: true,
  fileType,
  contentType: CONTENT_TYPES[fileType],
});

/**
 * Detects from the first bytes of the file (at least 4 KB when the file has them; 64 KB lets zip-based
 * Office files be told apart without their extension). `declaredContentType` only breaks ties; clients
 * send wrong ones too often to trust it over the content.
 */
export function detectFileType(
  head: Uint8Array,
  filename: string,
  declaredContentType?: string,
): FileTypeDetection {
  const ext = extensionOf(filename);
  const named: FileType | undefined = EXTENSIONS[ext];
  const shown = filename.split(/[\\/]/).pop() || 'the file';
  const mismatch = (actual: string): FileTypeDetection => ({
    ok: false,
    message: `${shown} is named as ${LABEL[named!]} but its content is ${actual}`,
  });
  if (head.length === 0) return { ok: false, message: `${shown} is empty (0 bytes)` };

  if (isPdf(head)) return named === undefined || named === 'pdf' ? ok('pdf') : mismatch('a PDF');
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) {
    const inside = officeTypeInZip(head);
    if (named !== undefined && ZIP_TYPES.includes(named)) {
      return inside === null || inside === named ? ok(named) : mismatch(`a ${LABEL[inside]} file`);
    }
    if (named !== undefined) return mismatch(inside ? `a ${LABEL[inside]} file` : 'a zip archive');
    const declared = Object.entries(CONTENT_TYPES).find(
      ([, ct]) => ct === declaredContentType,
    )?.[0] as FileType;
    if (inside) return ok(inside);
    if (declared && ZIP_TYPES.includes(declared)) return ok(declared);
    return { ok: false, message: `${shown} is a zip archive, which is not a supported document type` };
  }
  for (const [bytes, what] of FOREIGN) {
    if (startsWith(head, bytes)) return { ok: false, message: `${shown} is ${what}, which is not supported` };
  }
  if (!looksLikeText(head)) {
    return named !== undefined && !ZIP_TYPES.includes(named) && named !== 'pdf'
      ? mismatch('binary data, not text')
      : {
          ok: false,
          message: `${shown} is not a supported document type (binary content of unknown format)`,
        };
  }
  if (named === 'pdf' || (named !== undefined && ZIP_TYPES.includes(named))) return mismatch('plain text');
  if (named !== undefined) return ok(named);
  if (ext !== '')
    return { ok: false, message: `${shown}: files ending in .${ext} are not a supported document type` };
  const declared = Object.entries(CONTENT_TYPES).find(([, ct]) => declaredContentType?.startsWith(ct))?.[0];
  return ok(
    (declared as FileType | undefined) && !ZIP_TYPES.includes(declared as FileType) && declared !== 'pdf'
      ? (declared as FileType)
      : sniffText(head),
  );
}
