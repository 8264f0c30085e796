// The text of a SQL statement with its values taken out, for a span. MikroORM sends most statements with their
// values written into the text (`where "user_id" = '…'`, `values ('ada@example.com', …)`), and spans leave the
// process without passing the Pollen Filter, so every literal becomes `?` before the text reaches a span: quoted
// strings (with '' inside, E'…' escapes, B'…', X'…', U&'…'), dollar-quoted bodies and numbers. Identifiers,
// keywords, `$1` placeholders, casts, operators and comments (the platform's code writes those, `/* outbox-relay */`)
// stay, so the statement's shape is still readable. One pass over the characters: this runs for every query of a
// traced request.

const QUOTE = 39; // '
const DOUBLE_QUOTE = 34; // "
const DOLLAR = 36; // $
const BACKSLASH = 92;
const DASH = 45;
const SLASH = 47;
const STAR = 42;
const DOT = 46;

const isDigit = (c: number) => c >= 48 && c <= 57;
const isLetter = (c: number) => ((c | 32) >= 97 && (c | 32) <= 122) || c === 95 || c >= 128;
const isWordChar = (c: number) => isLetter(c) || isDigit(c) || c === DOLLAR;

/** The end (exclusive) of the quoted string whose opening quote is at `start`; backslashes escape in E'…'. */
function stringEnd(text: string, start: number, backslashEscapes: boolean): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (backslashEscapes && c === BACKSLASH) i++;
    else if (c === QUOTE) {
      if (text.charCodeAt(i + 1) === QUOTE) i++;
      else return i + 1;
    }
  }
  return text.length;
}

/** The end of a dollar-quoted body opened at `start` ($$ or $tag$), or -1 when `start` opens none. */
function dollarQuoteEnd(text: string, start: number): number {
  let i = start + 1;
  if (i < text.length && isLetter(text.charCodeAt(i)))
    while (i < text.length && (isLetter(text.charCodeAt(i)) || isDigit(text.charCodeAt(i)))) i++;
  if (text.charCodeAt(i) !== DOLLAR) return -1;
  const tag = text.slice(start, i + 1);
  const close = text.indexOf(tag, i + 1);
  return close === -1 ? text.length : close + tag.length;
}

/** The end of a number starting at `start`: digits, a fraction, an exponent, and what else is glued on (0x1F, 1_000). */
function numberEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length && (isDigit(text.charCodeAt(i)) || text.charCodeAt(i) === DOT)) i++;
  const e = text.charCodeAt(i) | 32;
  if (e === 101) {
    let j = i + 1;
    const sign = text.charCodeAt(j);
    if (sign === 43 || sign === DASH) j++;
    if (isDigit(text.charCodeAt(j))) {
      i = j;
      while (i < text.length && isDigit(text.charCodeAt(i))) i++;
    }
  }
  while (i < text.length && isWordChar(text.charCodeAt(i))) i++;
  return i;
}

/** `text` with every literal value replaced by `?`. */
export function sqlWithoutValues(text: string): string {
  let out = '';
  let copied = 0; // text[copied, i) is still to be copied as it is
  let i = 0;
  const replace = (from: number, to: number, by: string) => {
    out += text.slice(copied, from) + by;
    copied = to;
    i = to;
  };
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // A prefix letter (E, B, X, or U& for Unicode escapes) belongs to the literal.
      const prev = i > 0 ? text.charCodeAt(i - 1) | 32 : 0;
      const prefixed =
        i > 0 &&
        (prev === 101 || prev === 98 || prev === 120) &&
        (i === 1 || !isWordChar(text.charCodeAt(i - 2)));
      const unicode =
        i > 1 &&
        text.charCodeAt(i - 1) === 38 &&
        (text.charCodeAt(i - 2) | 32) === 117 &&
        (i === 2 || !isWordChar(text.charCodeAt(i - 3)));
      const from = unicode ? i - 2 : prefixed ? i - 1 : i;
      replace(from, stringEnd(text, i, prefixed && prev === 101), '?');
    } else if (c === DOUBLE_QUOTE) {
      // A quoted identifier: kept, with "" inside it.
      let j = i + 1;
      while (j < text.length) {
        if (text.charCodeAt(j) === DOUBLE_QUOTE) {
          if (text.charCodeAt(j + 1) === DOUBLE_QUOTE) j += 2;
          else break;
        } else j++;
      }
      i = j + 1;
    } else if (c === DOLLAR && (i === 0 || !isWordChar(text.charCodeAt(i - 1)))) {
      if (isDigit(text.charCodeAt(i + 1))) {
        i++; // a $1 placeholder: kept
        while (i < text.length && isDigit(text.charCodeAt(i))) i++;
      } else {
        const end = dollarQuoteEnd(text, i);
        if (end === -1) i++;
        else replace(i, end, '?');
      }
    } else if (c === DASH && text.charCodeAt(i + 1) === DASH) {
      // A comment, kept; a quote in it opens no string.
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end;
    } else if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
    } else if (
      (isDigit(c) || (c === DOT && isDigit(text.charCodeAt(i + 1)))) &&
      (i === 0 || !isWordChar(text.charCodeAt(i - 1)))
    ) {
      replace(i, numberEnd(text, i), '?');
    } else if (isWordChar(c)) {
      i++;
      while (i < text.length && isWordChar(text.charCodeAt(i))) i++;
    } else i++;
  }
  return copied === 0 ? text : out + text.slice(copied);
}
