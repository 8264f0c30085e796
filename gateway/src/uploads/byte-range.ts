// A download's `Range` request header (RFC 9110 §14): which bytes of a file of `size` bytes a client asks for. One
// range is served as 206; a header that is malformed, names another unit or asks for several ranges is ignored (the
// whole file, 200, as the RFC allows), and a range that starts past the end is 416. `If-Range` names the file's
// ETag: another validator (an older version, or a date) means the whole file again, so a resumed download never
// mixes two files.

/** The bytes to send, both ends included. */
export interface ByteRange {
  start: number;
  end: number;
}

/** What to answer: one range (206), the whole file (200), or nothing that exists (416). */
export type RangeAnswer = ByteRange | 'whole' | 'unsatisfiable';

/** A position too long to be a safe integer is as good as infinite: past the end of any file stored here. */
const position = (digits: string): number => {
  const n = Number(digits);
  return Number.isSafeInteger(n) ? n : Infinity;
};

const RANGE = /^bytes[ \t]*=[ \t]*(\d*)[ \t]*-[ \t]*(\d*)[ \t]*$/i;

export function byteRange(
  range: string | undefined,
  size: number,
  ifRange?: { header: string | undefined; etag: string },
): RangeAnswer {
  if (range === undefined) return 'whole';
  // Only a strong, identical ETag keeps the range (a weak one never compares equal, RFC 9110 §13.1.5).
  if (ifRange?.header !== undefined && ifRange.header.trim() !== ifRange.etag) return 'whole';
  const match = RANGE.exec(range);
  if (!match) return 'whole'; // another unit, several ranges, or not a range at all
  const [, first, last] = match;
  if (first === '' && last === '') return 'whole';
  if (first === '') {
    // The last N bytes.
    const suffix = position(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = position(first);
  const end = last === '' ? Infinity : position(last);
  if (end < start) return 'whole'; // invalid: ignored, not refused
  if (start >= size) return 'unsatisfiable';
  return { start, end: Math.min(end, size - 1) };
}
