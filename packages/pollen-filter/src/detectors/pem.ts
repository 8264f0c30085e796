// PEM and OpenPGP private-key blocks. The whole block is one span, from BEGIN to the matching END;
// a truncated block (no END in sight) is redacted up to the end of its base64 body.
import type { Detector, Span } from '../types.ts';
import { T_PEM } from '../triggers.ts';

const BEGIN = '-----BEGIN ';
const MAX_BLOCK = 64 * 1024;
// `RSA PRIVATE KEY`, `EC PRIVATE KEY`, `OPENSSH PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`, `PGP PRIVATE KEY BLOCK`.
const PRIVATE_LABEL = /^[A-Z0-9 ]{0,24}PRIVATE KEY(?: BLOCK)?-----/;

function isBodyChar(c: number): boolean {
  // base64, `=` padding, whitespace, and the backslash of a JSON-escaped `\n`.
  return (
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    (c >= 48 && c <= 57) ||
    c === 43 ||
    c === 47 ||
    c === 61 ||
    c === 32 ||
    c === 9 ||
    c === 10 ||
    c === 13 ||
    c === 92 ||
    c === 58 ||
    c === 44 ||
    c === 45
  );
}

export const pemDetector: Detector = {
  types: ['private_key'],
  trigger: T_PEM,
  detect(text: string, out: Span[]): void {
    let at = text.indexOf(BEGIN);
    while (at !== -1) {
      const labelAt = at + BEGIN.length;
      const header = PRIVATE_LABEL.exec(text.slice(labelAt, labelAt + 48));
      if (!header) {
        at = text.indexOf(BEGIN, labelAt);
        continue;
      }
      const label = header[0].slice(0, -5);
      const bodyAt = labelAt + header[0].length;
      const endMarker = '-----END ' + label + '-----';
      const endAt = text.indexOf(endMarker, bodyAt);
      let end: number;
      if (endAt !== -1 && endAt - at <= MAX_BLOCK) {
        end = endAt + endMarker.length;
      } else {
        end = bodyAt;
        const limit = Math.min(text.length, at + MAX_BLOCK);
        while (end < limit && isBodyChar(text.charCodeAt(end))) end++;
      }
      out.push({ start: at, end, type: 'private_key' });
      at = text.indexOf(BEGIN, end);
    }
  },
};
