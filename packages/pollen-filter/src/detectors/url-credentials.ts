// Credentials embedded in URLs (`postgres://user:pass@db:5432`, `redis://:pass@cache`): the span is
// the `user:pass` userinfo; the scheme and host stay readable.
import type { Detector, Span } from '../types.ts';
import { T_URL } from '../triggers.ts';

// Anchored on the literal `://`; userinfo is bounded and may not contain `/`, `@`, whitespace or quotes.
// The password may hold a raw `@`: the bounded greedy run backs off to the last `@` of the authority.
const USERINFO = /:\/\/([^\s:@/?#"'<>\\]{0,128}):([^\s/?#"'<>\\]{1,256})@/g;

export const urlCredentialsDetector: Detector = {
  types: ['url_credentials'],
  trigger: T_URL,
  detect(text: string, out: Span[]): void {
    if (text.indexOf('://') === -1) return;
    USERINFO.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = USERINFO.exec(text)) !== null) {
      const start = m.index + 3;
      out.push({ start, end: m.index + m[0].length - 1, type: 'url_credentials' });
    }
  },
};
