// Phone numbers: E.164 and international `+CC …` forms, NANP national forms ((415) 555-2671,
// 415-555-2671, 415.555.2671) and trunk-prefixed European forms (020 7946 0958, 06 12 34 56 78).
// Bare digit runs are never phones: too many ids and timestamps look the same.
import type { Detector, Span } from '../types.ts';
import { T_PHONE } from '../triggers.ts';
import { continuesGroupRun } from './char-classes.ts';

// One bounded alternative per family; each starts with a distinct character shape and nothing repeats
// an unbounded group, so an attempt costs a few dozen steps at most.
const CANDIDATE =
  /(?<![\w+./-])(?:\+[1-9][\d ().-]{6,20}\d|\(\d{3}\) ?\d{3}[.-]\d{4}|\d{3}[.\- ]\d{3}[.\- ]\d{4}|0\d{1,4}(?:[ -]\d{2,8}){1,4})(?!\w|[.-]?\d)/g;

const NANP_PAREN = /^\([2-9]\d{2}\) ?\d{3}[.-]\d{4}$/;
const NANP_PLAIN = /^[2-9]\d{2}([.\- ])\d{3}([.\- ])\d{4}$/;
const TRUNK = /^0\d{1,4}(?:([ -])\d{2,8})+$/;

function countDigits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

function international(s: string): boolean {
  const digits = countDigits(s);
  if (digits < 8 || digits > 15) return false;
  // Separators never double up, except the space around a parenthesised area code.
  if (/[ .-]{2}|\)\(|\(\D|\D\)/.test(s)) return false;
  const open = s.indexOf('(');
  const close = s.indexOf(')');
  return open === -1 ? close === -1 : close > open && s.indexOf('(', open + 1) === -1;
}

function national(s: string): boolean {
  if (NANP_PAREN.test(s)) return true;
  const nanp = NANP_PLAIN.exec(s);
  if (nanp) return nanp[1] === nanp[2];
  if (!TRUNK.test(s)) return false;
  const digits = countDigits(s);
  // One separator style throughout.
  return digits >= 10 && digits <= 11 && !(s.includes(' ') && s.includes('-'));
}

export function isPhoneNumber(s: string): boolean {
  return s.charCodeAt(0) === 43 ? international(s) : national(s);
}

/** A greedy candidate may have swallowed a following number; retry without trailing groups. */
function longestValidPrefix(s: string): number {
  let end = s.length;
  for (let tries = 0; tries < 4 && end > 0; tries++) {
    const candidate = s.slice(0, end);
    if (isPhoneNumber(candidate)) return end;
    const cut = Math.max(candidate.lastIndexOf(' '), candidate.lastIndexOf('-'), candidate.lastIndexOf('.'));
    if (cut <= 0) return -1;
    end = cut;
  }
  return -1;
}

export const phoneDetector: Detector = {
  types: ['phone'],
  trigger: T_PHONE,
  detect(text: string, out: Span[]): void {
    CANDIDATE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = CANDIDATE.exec(text)) !== null) {
      if (continuesGroupRun(text, m.index)) continue;
      const len = longestValidPrefix(m[0]);
      if (len > 0) out.push({ start: m.index, end: m.index + len, type: 'phone' });
    }
  },
};
