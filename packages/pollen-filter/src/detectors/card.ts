// Payment card numbers: 13–19 digits, optionally grouped by one consistent separator, accepted only
// with a known issuer prefix and a valid Luhn check digit (rules out order numbers and timestamps).
import type { Detector, Span } from '../types.ts';
import { T_CARD } from '../triggers.ts';
import { continuesGroupRun } from './char-classes.ts';

// Every quantifier is bounded and each repetition must start with a digit, so one attempt costs at
// most ~40 steps; the lookbehind stops attempts inside longer numbers.
const CANDIDATE = /(?<![\w.+-])\d(?:[ -]?\d){11,18}(?!\w|[.-]\d)/g;

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
  const p2 = Number(digits.slice(0, 2));
  const p3 = Number(digits.slice(0, 3));
  const p4 = Number(digits.slice(0, 4));
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

function consistentGrouping(raw: string): boolean {
  let sep = '';
  let group = 0;
  let firstGroup = -1;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === ' ' || ch === '-') {
      if (sep === '') sep = ch;
      else if (sep !== ch) return false;
      if (firstGroup === -1) firstGroup = group;
      if (group > 6) return false;
      group = 0;
    } else group++;
  }
  // Printed cards start with a group of four (4-4-4-4, 4-6-5, 4-6-4).
  return sep === '' || firstGroup === 4;
}

export function isCardNumber(raw: string): boolean {
  const digits = raw.replace(/[ -]/g, '');
  if (digits.length < 12 || digits.length > 19) return false;
  return consistentGrouping(raw) && knownIssuer(digits) && luhnValid(digits);
}

export const cardDetector: Detector = {
  types: ['card'],
  trigger: T_CARD,
  detect(text: string, out: Span[]): void {
    CANDIDATE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = CANDIDATE.exec(text)) !== null) {
      if (!continuesGroupRun(text, m.index) && isCardNumber(m[0]))
        out.push({ start: m.index, end: m.index + m[0].length, type: 'card' });
    }
  },
};
