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
