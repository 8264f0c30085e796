// Email addresses: anchored on each '@' (or its URL encodings `%40` and `%2540`), scanned outwards
// with bounded lengths (RFC 5321 limits), so the cost per anchor is constant and the whole pass is linear.
import type { Detector, Span } from '../types.ts';
import { T_EMAIL } from '../triggers.ts';
import { hexValue, isAlnum, isLetter } from './char-classes.ts';

const MAX_LOCAL = 64;
const MAX_DOMAIN = 253;
const MAX_LABEL = 63;

function isLocalChar(c: number): boolean {
  // Letters (of any script: `josé@…`), digits and . _ % + -: the RFC allows more, but `=`, quotes and
  // braces are far more often delimiters in logs (`email=a@b.io`, `'a@b.io'`) than part of a real address.
  return isAlnum(c) || c === 46 || c === 95 || c === 37 || c === 43 || c === 45 || (c >= 128 && isLetter(c));
}

/** Characters of one domain label: letters (internationalised names too), digits and `-`. */
function isLabelChar(c: number): boolean {
  return isAlnum(c) || c === 45 || (c >= 128 && isLetter(c));
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

function isFileExtension(text: string, start: number, end: number): boolean {
  return end - start <= 5 && FILE_EXTENSIONS.has(text.slice(start, end).toLowerCase());
}

/**
 * `%XX` at `p` spelling a character no address holds (`%20`, `%22`, `%3C`, `%2C`): the local part of
 * `name%20kim%40example.org` starts after it, at `kim`.
 */
function encodedDelimiter(text: string, p: number): boolean {
  const hi = hexValue(text.charCodeAt(p + 1));
  const lo = hexValue(text.charCodeAt(p + 2));
  if (hi < 0 || lo < 0) return false;
  const c = hi * 16 + lo;
  return !(isAlnum(c) || c === 46 || c === 95 || c === 43 || c === 45);
}

/** Length of the `@` spelled at `i`: `%40` (URL-encoded) or `%2540` (encoded twice); 0 for neither. */
function encodedAtLength(text: string, i: number): number {
  if (text.charCodeAt(i) !== 37) return 0;
  const a = text.charCodeAt(i + 1);
  const b = text.charCodeAt(i + 2);
  if (a === 52 && b === 48) return 3;
  if (a === 50 && b === 53 && text.charCodeAt(i + 3) === 52 && text.charCodeAt(i + 4) === 48) return 5;
  return 0;
}

function nextEncodedAt(text: string, from: number): number {
  let i = text.indexOf('%', from);
  while (i !== -1 && encodedAtLength(text, i) === 0) i = text.indexOf('%', i + 1);
  return i;
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

/**
 * Where a top-level domain starting at `start` in the label [start, end) ends, or -1. A TLD is
 * alphabetic (which rules out `react@18.2.0`), or punycode (`xn--p1ai`). Letters followed by digits
 * or a hyphen in the same label end the TLD there: `example.org-x` and `example.org4111…` are the
 * address `…@example.org` with text glued after it.
 */
function topLevelEnd(text: string, start: number, end: number): number {
  if (
    end - start >= 5 &&
    (text.charCodeAt(start) | 32) === 120 &&
    (text.charCodeAt(start + 1) | 32) === 110 &&
    text.charCodeAt(start + 2) === 45 &&
    text.charCodeAt(start + 3) === 45
  )
    return end - start <= MAX_LABEL && text.charCodeAt(end - 1) !== 45 ? end : -1;
  let k = start;
  while (k < end && isLetter(text.charCodeAt(k))) k++;
  if (k - start < 2 || k - start > MAX_LABEL || isFileExtension(text, start, k)) return -1;
  return k;
}

/** The end of the address's domain starting at `at`, or -1 when there is no valid one. */
function domainEnd(text: string, at: number): number {
  const limit = Math.min(text.length, at + MAX_DOMAIN);
  let best = -1;
  // Whether the label before `best`'s TLD holds a letter (see the cut-back rule below).
  let bestNamed = false;
  let previousNamed = false;
  let labelStart = at;
  let labelEnd = at;
  for (let dots = 0; ; dots++) {
    let i = labelStart;
    let named = false;
    while (i < limit) {
      const c = text.charCodeAt(i);
      if (!isLabelChar(c)) break;
      if (!named && isLetter(c)) named = true;
      i++;
    }
    if (dots > 0) {
      const tld = topLevelEnd(text, labelStart, i);
      if (tld !== -1) {
        best = tld;
        bestNamed = previousNamed;
      }
    }
    const len = i - labelStart;
    if (len === 0 || len > MAX_LABEL || text.charCodeAt(labelStart) === 45) break;
    labelEnd = i;
    // A label may not end with a hyphen: `example.org-` is the address and a dash after it.
    if (text.charCodeAt(i - 1) === 45) {
      while (text.charCodeAt(labelEnd - 1) === 45) labelEnd--;
      break;
    }
    previousNamed = named;
    if (i + 1 >= limit || text.charCodeAt(i) !== 46) break;
    labelStart = i + 1;
  }
  if (best === -1) return -1;
  if (labelEnd > best) {
    // The whole name ends with `.js`, `.png`…: an asset (`sprite@2x.min.js`), not an address.
    if (isFileExtension(text, text.lastIndexOf('.', labelEnd - 1) + 1, labelEnd)) return -1;
    // Cutting the name back (`example.org-x`, `example.org.4111…`) needs a named second-level label:
    // version strings such as `pkg@1.0.rc1` or `pkg@5.beta.1` would otherwise read as addresses.
    if (!bestNamed) return -1;
  }
  return best;
}

/** The end of the address whose `@` (spelled in `anchorLength` characters) is at `pos`, or -1. */
function addressAt(text: string, pos: number, anchorLength: number, after: number, out: Span[]): number {
  // The domain first: it fails within a character or two on text that merely holds `@`s or `%`s,
  // which then costs no scan backwards.
  if (pos <= after) return -1;
  const end = domainEnd(text, pos + anchorLength);
  if (end === -1) return -1;
  // An address never starts inside the one found before it (`a@b.cd%40…` is not `cd%40…`).
  const floor = Math.max(after, pos - MAX_LOCAL);
  let run = pos; // start of the run of local-part characters
  let start = -1; // just after the encoded delimiter nearest the `@`, if there is one
  while (run > floor) {
    const c = text.charCodeAt(run - 1);
    if (!isLocalChar(c)) break;
    run--;
    if (c === 37 && start === -1 && encodedDelimiter(text, run)) start = Math.min(run + 3, pos);
  }
  // `https://user:p%40ss@host` is a password in a URL, whichever `@` it holds.
  if (insideUrlAuthority(text, run)) return -1;
  if (start === -1) start = run;
  while (start < pos && text.charCodeAt(start) === 46) start++;
  if (start >= pos || text.charCodeAt(pos - 1) === 46) return -1;
  out.push({ start, end, type: 'email' });
  return end;
}

export const emailDetector: Detector = {
  types: ['email'],
  trigger: T_EMAIL,
  detect(text: string, out: Span[]): void {
    // Two cursors, each only ever moving forward, keep the pass linear however the anchors mix.
    let at = text.indexOf('@');
    let encoded = nextEncodedAt(text, 0);
    let from = 0;
    let after = 0; // the end of the last address found
    for (;;) {
      if (at !== -1 && at < from) at = text.indexOf('@', from);
      if (encoded !== -1 && encoded < from) encoded = nextEncodedAt(text, from);
      if (at === -1 && encoded === -1) return;
      const pos = encoded === -1 || (at !== -1 && at < encoded) ? at : encoded;
      const end = addressAt(text, pos, pos === at ? 1 : encodedAtLength(text, pos), after, out);
      if (end === -1) from = pos + 1;
      else from = after = end;
    }
  },
};
