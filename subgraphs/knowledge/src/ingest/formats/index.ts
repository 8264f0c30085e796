// Picks the reader for a file type; runs inside the extraction worker (worker.ts), never on the main thread.
import { ExtractionError } from '../errors.ts';
import type { ExtractedDocument, ExtractionLimits, FileType } from '../types.ts';
import { extractCsv } from './csv.ts';
import { extractHtml } from './html.ts';
import { extractJson } from './json.ts';
import { extractDocx, extractPptx, extractXlsx } from './office.ts';
import { extractPdf } from './pdf.ts';
import { extractMarkdown, extractText } from './text.ts';

export async function extractInProcess(
  bytes: Uint8Array,
  fileType: FileType,
  limits: ExtractionLimits,
): Promise<ExtractedDocument> {
  if (bytes.length === 0) throw new ExtractionError('empty', 'the file is empty (0 bytes)');
  switch (fileType) {
    case 'pdf':
      return extractPdf(bytes);
    case 'docx':
      return extractDocx(bytes, limits);
    case 'xlsx':
      return extractXlsx(bytes, limits);
    case 'pptx':
      return extractPptx(bytes, limits);
    case 'html':
      return extractHtml(bytes);
    case 'markdown':
      return extractMarkdown(bytes);
    case 'text':
      return extractText(bytes);
    case 'json':
      return extractJson(bytes, limits.maxJsonDepth);
    case 'csv':
      return extractCsv(bytes);
    default:
      throw new ExtractionError('unsupported', `files of type ${String(fileType)} are not supported`);
  }
}
