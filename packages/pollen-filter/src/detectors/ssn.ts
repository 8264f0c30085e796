// US Social Security numbers in the printed AAA-GG-SSSS form, restricted to ranges the SSA issues:
// area not 000, 666 or 900–999; group not 00; serial not 0000.
import type { Detector, Span } from '../types.ts';
import { T_SSN } from '../triggers.ts';

const CANDIDATE = /(?<![\w.+-])(\d{3})-(\d{2})-(\d{4})(?!\w|[.-]\d)/g;

export function isValidSsn(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  return a !== 0 && a !== 666 && a < 900 && group !== '00' && serial !== '0000';
}

export const ssnDetector: Detector = {
  types: ['ssn'],
  trigger: T_SSN,
  detect(text: string, out: Span[]): void {
    if (text.indexOf('-') === -1) return;
    CANDIDATE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = CANDIDATE.exec(text)) !== null) {
      if (isValidSsn(m[1], m[2], m[3])) out.push({ start: m.index, end: m.index + m[0].length, type: 'ssn' });
    }
  },
};
