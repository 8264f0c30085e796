// Payment card numbers: 13–19 digits, optionally grouped by one consistent separator, accepted only
// with a known issuer prefix and a valid Luhn check digit (rules out order numbers and timestamps).
import type { Detector, Span } from '../types.ts';
import { T_CARD } from '../triggers.ts';
import { continuesGroupRun, hexValue, isAlpha, isAlnum, isDigit, isSpaceLike } from './char-classes.ts';
import { ibanShaped } from './iban.ts';

// Groups are joined by one separator: a space, a no-break space (U+00A0, or U+202F: what number
// formatting in many locales puts between groups) or a hyphen; or by dots, in the 4-4-4-4 form only
// (dots also join decimals such as `4532.015200000001`, versions and addresses). Every quantifier is
// bounded and each repetition must start with a digit, so one attempt costs at most ~40 steps; the
// lookbehind stops attempts inside longer numbers. What may come before and after the number is
// decided in code (`fitsBefore`, `gluedWord`).
const CANDIDATE =
  /(?<!\d)(?:\d(?:[ \u00a0\u202f-]?\d){11,18}|\d{4}(?:\.\d{4}){3}(?:\.\d{1,3})?)(?!\d|[.-]\d)/g;

/** How far the text beside a number is read to judge it (bounded, so the pass stays linear). */
const CONTEXT = 32;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Issuer identification by prefix and length (Visa, Mastercard, Amex, Discover, Diners, JCB, UnionPay, Maestro). */
export function knownIssuer(digits: string): boolean {
  const n = digits.length;
  const p2 = (digits.charCodeAt(0) - 48) * 10 + digits.charCodeAt(1) - 48;
  const p3 = p2 * 10 + digits.charCodeAt(2) - 48;
  const p4 = p3 * 10 + digits.charCodeAt(3) - 48;
  if (digits[0] === '4') return n === 13 || n === 16 || n === 19;
  if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n === 16;
  if (p2 === 34 || p2 === 37) return n === 15;
  if (p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649)) return n >= 16 && n <= 19;
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) return n >= 14 && n <= 19;
  if (p4 >= 3528 && p4 <= 3589) return n >= 16 && n <= 19;
  if (p2 === 62) return n >= 16 && n <= 19;
  if (p4 === 5018 || p4 === 5020 || p4 === 5038 || p4 === 5893 || p4 === 6304 || p4 === 6759) return n >= 12;
  if (p4 >= 6761 && p4 <= 6763) return n >= 12;
  return false;
}

const isSeparator = (c: number): boolean => c === 45 || c === 46 || isSpaceLike(c);

function consistentGrouping(raw: string): boolean {
  let sep = -1;
  let group = 0;
  let firstGroup = -1;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (isSeparator(c)) {
      // Spaces of either kind count as one separator: formatted text mixes them.
      const kind = isSpaceLike(c) ? 32 : c;
      if (sep === -1) sep = kind;
      else if (sep !== kind) return false;
      if (firstGroup === -1) firstGroup = group;
      if (group > 6) return false;
      group = 0;
    } else group++;
  }
  // Printed cards start with a group of four (4-4-4-4, 4-6-5, 4-6-4), and no group is longer than six:
  // `…-4530-9284-976720169941` is the tail of a UUID-like id, not a card.
  return sep === -1 || (firstGroup === 4 && group <= 6);
}

function digitCount(raw: string): number {
  let n = 0;
  for (let i = 0; i < raw.length; i++) if (isDigit(raw.charCodeAt(i))) n++;
  return n;
}

export function isCardNumber(raw: string): boolean {
  const digits = digitCount(raw) === raw.length ? raw : raw.replace(/[ \u00a0\u202f.-]/g, '');
  if (digits.length < 12 || digits.length > 19) return false;
  return consistentGrouping(raw) && knownIssuer(digits) && luhnValid(digits);
}

/**
 * Whether the character before a number starting at `start` lets it be a card. After `-` or `_` it
 * does when the word before holds a letter (`id-4111…`, `ZMARK8-4111…`), and after `.` when a letter
 * comes right before (`example.org.4111…`); after a number or nothing it is a negative number, a
 * decimal (`v0.4111…`) or the tail of a hyphenated code. `+` makes it a phone number or a signed value.
 * Letters are judged with what follows the number (`gluedWord`).
 */
function fitsBefore(text: string, start: number): boolean {
  if (start === 0) return true;
  const c = text.charCodeAt(start - 1);
  if (c === 43) return false;
  if (c === 46) return start >= 2 && isAlpha(text.charCodeAt(start - 2));
  if (c === 45 || c === 95) {
    const floor = Math.max(0, start - CONTEXT);
    for (let i = start - 2; i >= floor && isAlnum(text.charCodeAt(i)); i--) {
      if (isAlpha(text.charCodeAt(i))) return true;
    }
    return false;
  }
  return true;
}

// Lengths of the usual hex ids, 8 to 32 bytes: span ids, MongoDB ObjectIds, trace ids and MD5,
// SHA-1, SHA-256.
const HEX_ID_LENGTHS = new Set([16, 20, 24, 32, 40, 48, 64]);

/** Whether [from, to) holds only the letters of hex (`a`–`f`, either case). */
function hexLetters(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (hexValue(text.charCodeAt(i)) < 10) return false;
  return true;
}

/**
 * Letters glued to the number [start, end) (`abc4111…`, `card4111…exp`) make a word around it, and
 * leave it a card, unless the word also holds other digits (an id or a hash, `9fceb02d…`, whose digits
 * happen to run long), has a hex id's length and letters (`e301581467002122`), or is two capitals
 * making the whole an IBAN's shape (`CH43…`: a mistyped IBAN is no card either).
 */
function gluedWord(text: string, start: number, end: number): boolean {
  const floor = Math.max(0, start - CONTEXT);
  const ceiling = Math.min(text.length, end + CONTEXT);
  let s = start;
  while (s > floor && isAlpha(text.charCodeAt(s - 1))) s--;
  let e = end;
  while (e < ceiling && isAlpha(text.charCodeAt(e))) e++;
  if (s === start && e === end) return true;
  if ((s > 0 && isDigit(text.charCodeAt(s - 1))) || (e < text.length && isDigit(text.charCodeAt(e))))
    return false;
  if (HEX_ID_LENGTHS.has(e - s) && hexLetters(text, s, start) && hexLetters(text, end, e)) return false;
  if (start - s === 2 && e === end && isCapital(text.charCodeAt(s)) && isCapital(text.charCodeAt(s + 1)))
    return !ibanShaped(text.slice(s, start), digitCount(text.slice(start, end)));
  return true;
}

const isCapital = (c: number): boolean => c >= 65 && c <= 90;

/**
 * The length of the card number at the start of `raw`, or 0. The greedy candidate may have taken a
 * number that follows an ungrouped card after a space (`4111111111111111 404`); a grouped one keeps
 * all its groups, since `4951 0817 6881 6010 803` is how a 19-digit number is printed, not a card
 * and three more digits.
 */
function cardLength(raw: string): number {
  // Every issuer's numbers start with 2, 3, 4, 5 or 6: most digit runs in logs are out at once.
  const lead = raw.charCodeAt(0);
  if (lead < 50 || lead > 54) return 0;
  let first = 0;
  while (first < raw.length && isDigit(raw.charCodeAt(first))) first++;
  if (first === raw.length || first === 4) return isCardNumber(raw) ? raw.length : 0;
  return isSpaceLike(raw.charCodeAt(first)) && isCardNumber(raw.slice(0, first)) ? first : 0;
}

export const cardDetector: Detector = {
  types: ['card'],
  trigger: T_CARD,
  detect(text: string, out: Span[]): void {
    CANDIDATE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = CANDIDATE.exec(text)) !== null) {
      // The cheap checks of the context first: most candidates in a long run of numbers stop there.
      const length = continuesGroupRun(text, m.index) || !fitsBefore(text, m.index) ? 0 : cardLength(m[0]);
      const end = m.index + length;
      if (length > 0 && gluedWord(text, m.index, end)) out.push({ start: m.index, end, type: 'card' });
      else if (m.index > 0 && isAlpha(text.charCodeAt(m.index - 1))) {
        // `ZMARK8-4111…`: the digits ending a word joined by a hyphen were read as a first group; the
        // number may start after the hyphen. (Forward each time, so the pass stays linear.)
        const hyphen = m[0].indexOf('-');
        if (hyphen > 0) CANDIDATE.lastIndex = m.index + hyphen + 1;
      }
    }
  },
};
