// Email addresses: anchored on each '@', scanned outwards with bounded lengths (RFC 5321 limits),
// so the cost per '@' is constant and the whole pass is linear.
import type { Detector, Span } from '../types.ts';
import { T_EMAIL } from '../triggers.ts';
import { isAlnum, isAlpha } from './char-classes.ts';

const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;

function isLocalChar(c: number): boolean {
  // Letters, digits and . _ % + -: the RFC allows more, but `=`, quotes and braces are far more often
  // delimiters in logs (`email=a@b.io`, `'a@b.io'`) than part of a real address.
  return isAlnum(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45;
}

// `logo@2x.png`, `icon@3x.webp`: asset names, not addresses (none of these is a real TLD).
const FILE_EXTENSIONS = new Set([
  'png',
  'jpg',
  'jpeg',
  'gif',
  'svg',
  'webp',
  'avif',
  'ico',
  'js',
  'mjs',
  'cjs',
  'css',
  'map',
  'json',
  'html',
  'txt',
  'ts',
  'tsx',
  'jsx',
  'woff',
  'woff2',
  'ttf',
]);

function isDomainChar(c: number): boolean {
  return isAlnum(c) || c === 45 || c === 46;
}

/** `scheme://user:pass@host` belongs to the URL-credentials detector, not here. */
function insideUrlAuthority(text: string, localStart: number): boolean {
  if (localStart === 0 || text.charCodeAt(localStart - 1) !== 58) return false;
  const from = Math.max(0, localStart - 300);
  for (let i = localStart - 2; i >= from; i--) {
    const c = text.charCodeAt(i);
    if (c === 47) return i >= 2 && text.charCodeAt(i - 1) === 47 && text.charCodeAt(i - 2) === 58;
    if (c === 64 || c <= 32) return false;
  }
  return false;
}

function domainEnd(text: string, at: number): number {
  // Returns the end of a valid domain starting at `at`, or -1.
  const limit = Math.min(text.length, at + MAX_DOMAIN);
  let end = at;
  while (end < limit && isDomainChar(text.charCodeAt(end))) end++;
  // Trailing dots and hyphens are punctuation, not part of the address.
  while (end > at && (text.charCodeAt(end - 1) === 46 || text.charCodeAt(end - 1) === 45)) end--;
  let labelStart = at;
  let dots = 0;
  for (let i = at; i <= end; i++) {
    if (i === end || text.charCodeAt(i) === 46) {
      const len = i - labelStart;
      if (len === 0 || len > 63) return -1;
      if (text.charCodeAt(labelStart) === 45 || text.charCodeAt(i - 1) === 45) return -1;
      if (i < end) dots++;
      labelStart = i + 1;
    }
  }
  if (dots === 0) return -1;
  // The top-level domain is alphabetic: rules out `react@18.2.0` and `logo@2x.png`-style version tags.
  const tldStart = text.lastIndexOf('.', end - 1) + 1;
  if (end - tldStart < 2) return -1;
  for (let i = tldStart; i < end; i++) if (!isAlpha(text.charCodeAt(i))) return -1;
  if (FILE_EXTENSIONS.has(text.slice(tldStart, end).toLowerCase())) return -1;
  return end;
}

export const emailDetector: Detector = {
  types: ['email'],
  trigger: T_EMAIL,
  detect(text: string, out: Span[]): void {
    let at = text.indexOf('@');
    while (at !== -1) {
      const floor = Math.max(0, at - MAX_LOCAL);
      let start = at;
      while (start > floor && isLocalChar(text.charCodeAt(start - 1))) start--;
      while (start < at && text.charCodeAt(start) === 46) start++;
      if (start < at && text.charCodeAt(at - 1) !== 46 && !insideUrlAuthority(text, start)) {
        const end = domainEnd(text, at + 1);
        if (end !== -1) {
          out.push({ start, end, type: 'email' });
          at = text.indexOf('@', end);
          continue;
        }
      }
      at = text.indexOf('@', at + 1);
    }
  },
};
