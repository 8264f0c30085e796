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

/** Letters, digits and underscore: the `\w` of a regex. */
export function isWord(c: number): boolean {
  return isAlnum(c) || c === 95;
}

/**
 * True when the number starting at `start` is the tail of a longer space-grouped code
 * (`FR32 4217 3727 1885 0147 2481 989`): the token before it is a short group holding a digit.
 */
export function continuesGroupRun(text: string, start: number): boolean {
  if (start < 2 || text.charCodeAt(start - 1) !== 32) return false;
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
