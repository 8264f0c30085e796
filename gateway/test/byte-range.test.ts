// What a download's Range and If-Range headers ask of a file: one range (206), the whole file (200) when the header
// is missing, malformed, of another unit, for several ranges or for another version, and nothing (416) when the
// range starts past the end (RFC 9110 §14).
import { describe, expect, it } from '@jest/globals';
import { byteRange } from '../src/uploads/byte-range.ts';

const SIZE = 1000;

describe('byteRange', () => {
  it('answers one range of bytes, both ends included, cut at the end of the file', () => {
    expect(byteRange('bytes=0-0', SIZE)).toEqual({ start: 0, end: 0 });
    expect(byteRange('bytes=0-499', SIZE)).toEqual({ start: 0, end: 499 });
    expect(byteRange('bytes=500-', SIZE)).toEqual({ start: 500, end: 999 });
    expect(byteRange('bytes=990-5000', SIZE)).toEqual({ start: 990, end: 999 });
    expect(byteRange('bytes=999-999', SIZE)).toEqual({ start: 999, end: 999 });
    expect(byteRange('Bytes = 10 - 19', SIZE)).toEqual({ start: 10, end: 19 });
    // A last position longer than any safe integer still ends at the file's end.
    expect(byteRange('bytes=5-99999999999999999999999', SIZE)).toEqual({ start: 5, end: 999 });
  });

  it('answers the last N bytes, or the whole file when N is larger', () => {
    expect(byteRange('bytes=-100', SIZE)).toEqual({ start: 900, end: 999 });
    expect(byteRange('bytes=-1', SIZE)).toEqual({ start: 999, end: 999 });
    expect(byteRange('bytes=-5000', SIZE)).toEqual({ start: 0, end: 999 });
  });

  it('finds nothing to send for a range that starts past the end, an empty suffix, or any range of an empty file', () => {
    expect(byteRange('bytes=1000-', SIZE)).toBe('unsatisfiable');
    expect(byteRange('bytes=1000-2000', SIZE)).toBe('unsatisfiable');
    expect(byteRange('bytes=99999999999999999999-', SIZE)).toBe('unsatisfiable');
    expect(byteRange('bytes=-0', SIZE)).toBe('unsatisfiable');
    expect(byteRange('bytes=0-', 0)).toBe('unsatisfiable');
    expect(byteRange('bytes=-10', 0)).toBe('unsatisfiable');
  });

  it('ignores what it does not serve: no header, another unit, several ranges, nonsense, a reversed range', () => {
    for (const header of [
      undefined,
      '',
      'bytes=',
      'bytes=-',
      'items=0-10',
      'bytes=0-10,20-30',
      'bytes=0-10, 20-',
      'bytes=abc-def',
      'bytes=-1-2',
      'bytes=1.5-3',
      'bytes=0x10-20',
      'bytes=20-10',
      'bytes=\u00001-2',
      'bytes 0-10',
    ])
      expect(byteRange(header, SIZE)).toBe('whole');
  });

  it('keeps the range only when If-Range names this file by its strong ETag', () => {
    const etag = '"abc123"';
    expect(byteRange('bytes=0-9', SIZE, { header: undefined, etag })).toEqual({ start: 0, end: 9 });
    expect(byteRange('bytes=0-9', SIZE, { header: '"abc123"', etag })).toEqual({ start: 0, end: 9 });
    expect(byteRange('bytes=0-9', SIZE, { header: ' "abc123" ', etag })).toEqual({ start: 0, end: 9 });
    // Another version, a weak validator of the same tag, a date: the whole file, never a mix of two versions.
    expect(byteRange('bytes=0-9', SIZE, { header: '"def456"', etag })).toBe('whole');
    expect(byteRange('bytes=0-9', SIZE, { header: 'W/"abc123"', etag })).toBe('whole');
    expect(byteRange('bytes=0-9', SIZE, { header: 'Sat, 05 Dec 2026 10:00:00 GMT', etag })).toBe('whole');
    // An If-Range that does not match turns even an unsatisfiable range into the whole file.
    expect(byteRange('bytes=5000-', SIZE, { header: '"def456"', etag })).toBe('whole');
  });
});
