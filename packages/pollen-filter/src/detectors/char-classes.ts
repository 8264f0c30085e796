// Character-class tests shared by the hand-written scanners (char codes, no regex, no allocation).

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function isAlnum(c: number): boolean {
  return isDigit(c) || isAlpha(c);
}

/** The value of a hex digit (`0`–`9`, `a`–`f`, `A`–`F`), or -1. */
export function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 32;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** Letters, digits and underscore: the `\w` of a regex. */
export function isWord(c: number): boolean {
  return isAlnum(c) || c === 95;
}

const NON_ASCII_LETTER = /\p{L}/u;
// Per UTF-16 code unit outside ASCII: 0 not yet known, 1 a letter, 2 not one. Filled on first use, so
// a long run of accented text costs one property test per distinct character, not one per character.
const letterTable = new Uint8Array(65536);

/** A letter of any script (`é`, `ß`, `ж`, `中`); characters outside the BMP count as none. */
export function isLetter(c: number): boolean {
  if (c < 128) return isAlpha(c);
  let known = letterTable[c];
  if (known === 0) {
    known = NON_ASCII_LETTER.test(String.fromCharCode(c)) ? 1 : 2;
    letterTable[c] = known;
  }
  return known === 1;
}

/** A space, or a no-break space (U+00A0, or the narrow U+202F that French number formatting uses). */
export function isSpaceLike(c: number): boolean {
  return c === 32 || c === 0xa0 || c === 0x202f;
}

/**
 * True when the number starting at `start` is the tail of a longer space-grouped code
 * (`FR32 4217 3727 1885 0147 2481 989`): the token before it is a short group holding a digit.
 */
export function continuesGroupRun(text: string, start: number): boolean {
  if (start < 2 || !isSpaceLike(text.charCodeAt(start - 1))) return false;
  let i = start - 2;
  let digit = false;
  const floor = Math.max(0, start - 8);
  while (i >= floor && isAlnum(text.charCodeAt(i))) {
    if (isDigit(text.charCodeAt(i))) digit = true;
    i--;
  }
  const len = start - 2 - i;
  return digit && len >= 1 && len <= 6 && (i < floor || !isAlnum(text.charCodeAt(i)));
}
