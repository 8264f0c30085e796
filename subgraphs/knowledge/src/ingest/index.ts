// Ingestion's public face: detect a file's type, extract its structured text in a worker thread, cut it into
// chunks, and scan it for personal data. DOCUMENTS drives these from its jobs.
export type {
  ChunkOptions,
  DocumentChunk,
  ExtractedDocument,
  ExtractedSection,
  ExtractionLimits,
  FileType,
  FileTypeDetection,
  PiiScan,
} from './types.ts';
export { FILE_TYPES } from './types.ts';
export { ExtractionError, type ExtractionFailure } from './errors.ts';
export { detectFileType } from './detect.ts';
export { extractDocument, DEFAULT_EXTRACTION_LIMITS } from './extract.ts';
export { chunkDocument } from './chunk.ts';
export { scanPii } from './pii.ts';
