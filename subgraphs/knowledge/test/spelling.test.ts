// The edit arithmetic behind keyword search's slip correction (search.test.ts covers it against the index).
import { describe, it, expect } from '@jest/globals';
import {
  allowedEdits,
  editDistance,
  inCaseOf,
  MAX_SLIP_LENGTH,
  oneEditAway,
  withCapital,
} from '../src/domain/search/spelling.ts';

describe('oneEditAway', () => {
  it('lists each letter dropped, neighbours swapped, letter changed and letter added, never the word itself', () => {
    const variants = oneEditAway('tnofa');
    for (const expected of ['tofa', 'tonfa', 'tnoga', 'tonofa', 'tnofas', 'xtnofa']) {
      expect(variants).toContain(expected);
    }
    expect(variants).not.toContain('tnofa');
    expect(new Set(variants).size).toBe(variants.length);
    // 5 drops, 4 swaps, 5 x 25 changes and 6 x 26 additions at most, fewer where they coincide.
    expect(variants.length).toBeLessThanOrEqual(5 + 4 + 5 * 25 + 6 * 26);
  });

  it("adds and changes letters from a-z and the word's own letters, whole code points", () => {
    const variants = oneEditAway('zürch');
    expect(variants).toContain('zürich');
    expect(variants).toContain('zurch');
    // A letter outside the Basic Multilingual Plane is one letter: no variant holds half of it.
    const astral = oneEditAway('𝒜bcde');
    expect(astral).toContain('bcde');
    expect(astral.every((v) => v.isWellFormed())).toBe(true);
    expect(oneEditAway('ağa')).toContain('ağğa');
  });

  it('gives nothing for an empty word or one too long to guess at', () => {
    expect(oneEditAway('')).toEqual([]);
    expect(oneEditAway('a'.repeat(MAX_SLIP_LENGTH + 1))).toEqual([]);
  });
});

describe('editDistance (optimal string alignment)', () => {
  it.each([
    ['tnofa', 'tonofa', 1],
    ['centrifgu', 'centrifug', 1],
    ['ab', 'ba', 1],
    ['money', 'month', 2],
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3],
    ['', 'abc', 3],
    ['zürich', 'zurich', 1],
    ['same', 'same', 0],
  ])('%s → %s is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('allowedEdits', () => {
  it('allows one edit up to five letters and two beyond', () => {
    expect([4, 5, 6, 12].map(allowedEdits)).toEqual([1, 1, 2, 2]);
  });
});

describe('inCaseOf and withCapital', () => {
  it('write the word taken for a slip in the case the slip was typed in', () => {
    expect(inCaseOf('Tnofa', 'tonofa')).toBe('Tonofa');
    expect(inCaseOf('WAREHUOSES', 'warehouses')).toBe('WAREHOUSES');
    expect(inCaseOf('tnofa', 'tonofa')).toBe('tonofa');
    expect(inCaseOf('T', 'to')).toBe('To');
    expect(inCaseOf('42x', 'forty')).toBe('forty');
  });

  it('read a letter outside the Basic Multilingual Plane as one letter', () => {
    // Deseret: 𐐀 (U+10400) is the capital of 𐐨 (U+10428), each two UTF-16 units.
    expect(inCaseOf('𐐀𐐩𐐻', '𐐨𐐩𐐻𐐯')).toBe('𐐀𐐩𐐻𐐯');
    expect(inCaseOf('𐐀𐐁𐐓', '𐐨𐐩𐐻')).toBe('𐐀𐐁𐐓');
    expect(inCaseOf('𐐀', '𐐨𐐩')).toBe('𐐀𐐩');
    expect(withCapital('𐐨𐐩')).toBe('𐐀𐐩');
    expect(withCapital('')).toBe('');
  });
});
