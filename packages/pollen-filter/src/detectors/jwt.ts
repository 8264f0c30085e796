// JSON Web Tokens: three base64url segments whose header decodes to a JSON object naming an `alg`.
import type { Detector, Span } from '../types.ts';
import { T_JWT } from '../triggers.ts';

// Anchored on the literal `eyJ` (base64 of `{"`); the lookbehind allows one attempt per token run.
const CANDIDATE =
  /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,8192}\.[A-Za-z0-9_-]{2,65536}\.[A-Za-z0-9_-]{0,8192}/g;

export function jwtHeaderValid(header: string): boolean {
  try {
    const json: unknown = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
    return typeof json === 'object' && json !== null && typeof (json as { alg?: unknown }).alg === 'string';
  } catch {
    return false;
  }
}

export const jwtDetector: Detector = {
  types: ['jwt'],
  trigger: T_JWT,
  detect(text: string, out: Span[]): void {
    if (text.indexOf('eyJ') === -1) return;
    CANDIDATE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = CANDIDATE.exec(text)) !== null) {
      const dot = m[0].indexOf('.');
      if (jwtHeaderValid(m[0].slice(0, dot)))
        out.push({ start: m.index, end: m.index + m[0].length, type: 'jwt' });
    }
  },
};
