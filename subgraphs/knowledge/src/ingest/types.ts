// The shapes that pass through ingestion: a detected file type, the extracted structure of a document, and
// the chunks cut from it. DOCUMENTS stores chunks; SEARCH indexes them.

export const FILE_TYPES = ['pdf', 'docx', 'html', 'markdown', 'text', 'json', 'csv', 'xlsx', 'pptx'] as const;
export type FileType = (typeof FILE_TYPES)[number];

export type FileTypeDetection =
  { ok: true; fileType: FileType; contentType: string } | { ok: false; message: string };

/** A run of text that shares one place in the document: a heading path and page, slide or sheet. */
export interface ExtractedSection {
  text: string;
  headingPath: string[];
  page?: number;
  slide?: number;
  sheet?: string;
}

export interface ExtractedDocument {
  sections: ExtractedSection[];
}

export interface ExtractionLimits {
  /** Wall time for one document's parse; the worker is terminated beyond it. */
  timeoutMs: number;
  /** The worker's old-generation heap limit. */
  maxMemoryMb: number;
  /** Zip-based formats: entries in the central directory. */
  maxArchiveEntries: number;
  /** Zip-based formats: the sum of declared sizes, and of bytes actually inflated. */
  maxDecompressedBytes: number;
  /** JSON: nesting deeper than this is refused. */
  maxJsonDepth: number;
  /** Passages (chunks) one document may make; more is refused before any is embedded. */
  maxChunks: number;
}

export interface DocumentChunk {
  ordinal: number;
  text: string;
  headingPath: string[];
  page: number | null;
  slide: number | null;
  sheet: string | null;
  /** Offsets into the document's full text: its sections' texts joined by '\n\n'. */
  charStart: number;
  charEnd: number;
}

export interface ChunkOptions {
  targetChars?: number;
  overlapRatio?: number;
}

export interface PiiScan {
  /** Findings per detector type (e.g. { email: 2 }); never the values. */
  counts: Record<string, number>;
  /** The redacted text when asked for, else the input unchanged. */
  text: string;
}
