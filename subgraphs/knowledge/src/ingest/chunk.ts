// Cuts an extracted document into overlapping chunks of about `targetChars` that never straddle a structural
// boundary (a heading, page, slide or sheet), so each chunk can say where in the document it comes from.
import type { ChunkOptions, DocumentChunk, ExtractedDocument, ExtractedSection } from './types.ts';

/** Sections are joined with this in the document's full text; chunk offsets index into that text. */
export const SECTION_SEPARATOR = '\n\n';

// Preferred cut points, best first: a paragraph, a line, a sentence end, a clause, a word.
const BOUNDARIES: readonly RegExp[] = [/\n\s*\n/g, /\n/g, /[.!?…][)"'\]]?\s/g, /[;:,]\s/g, /\s/g];

/** The document's full text, to which chunk offsets refer. */
export function documentText(doc: ExtractedDocument): string {
  return doc.sections.map((s) => s.text).join(SECTION_SEPARATOR);
}

export function chunkDocument(doc: ExtractedDocument, options: ChunkOptions = {}): DocumentChunk[] {
  const target = Math.max(100, Math.floor(options.targetChars ?? 1000));
  const overlap = Math.floor(target * Math.min(0.5, Math.max(0, options.overlapRatio ?? 0.15)));
  const chunks: DocumentChunk[] = [];
  let offset = 0;
  for (const section of doc.sections) {
    for (const [start, end] of windows(section.text, target, overlap)) {
      chunks.push(
        chunkOf(section, chunks.length, offset + start, offset + end, section.text.slice(start, end)),
      );
    }
    offset += section.text.length + SECTION_SEPARATOR.length;
  }
  return chunks;
}

function chunkOf(
  section: ExtractedSection,
  ordinal: number,
  start: number,
  end: number,
  text: string,
): DocumentChunk {
  return {
    ordinal,
    text,
    headingPath: [...section.headingPath],
    page: section.page ?? null,
    slide: section.slide ?? null,
    sheet: section.sheet ?? null,
    charStart: start,
    charEnd: end,
  };
}

/** [start, end) windows over `text`, trimmed of surrounding whitespace; empty text gives none. */
function windows(text: string, target: number, overlap: number): [number, number][] {
  const out: [number, number][] = [];
  let start = skipSpace(text, 0);
  while (start < text.length) {
    let end = text.length;
    if (end - start > target + target / 4) end = cutPoint(text, start, start + target);
    out.push(trimmed(text, start, end));
    if (end >= text.length) break;
    // Step back by the overlap, to the start of a word, but always move forward.
    let next = Math.max(start + 1, end - overlap);
    const word = text.slice(next, end).search(/\s\S/);
    if (word >= 0 && next + word + 1 < end) next += word + 1;
    start = skipSpace(text, next);
  }
  return out.filter(([s, e]) => e > s);
}

/** The best boundary in the last half of [start, limit], else `limit` itself. */
function cutPoint(text: string, start: number, limit: number): number {
  const floor = start + Math.floor((limit - start) / 2);
  const span = text.slice(floor, limit + 1);
  for (const boundary of BOUNDARIES) {
    let best = -1;
    boundary.lastIndex = 0;
    for (let m = boundary.exec(span); m; m = boundary.exec(span)) best = m.index + m[0].length;
    if (best > 0) return floor + best;
  }
  return limit;
}

function skipSpace(text: string, at: number): number {
  while (at < text.length && /\s/.test(text[at])) at++;
  return at;
}

function trimmed(text: string, start: number, end: number): [number, number] {
  while (end > start && /\s/.test(text[end - 1])) end--;
  return [start, end];
}
