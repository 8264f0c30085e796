// IBANs, compact (DE89370400440532013000) or printed in groups of four, accepted only when the
// length matches the country's registry entry and the ISO 7064 mod-97 checksum holds.
import type { Detector, Span } from '../types.ts';
import { T_IBAN } from '../triggers.ts';

const CANDIDATE =
  /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,3})?)(?![A-Za-z0-9])/g;

// SWIFT IBAN registry lengths.
const LENGTHS: Record<string, number> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SC: 31,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
};

export function ibanChecksumValid(iban: string): boolean {
  // Move the first four characters to the end, letters become 10..35, then mod 97 must be 1;
  // computed digit by digit so no big integers are needed.
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    if (c >= 48 && c <= 57) rem = (rem * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) rem = (rem * 100 + (c - 55)) % 97;
    else return false;
  }
  return rem === 1;
}

/** Whether `country` followed by `digits` digits has an IBAN's shape (its checksum aside). */
export function ibanShaped(country: string, digits: number): boolean {
  return LENGTHS[country] === country.length + digits;
}

export function isIban(raw: string): boolean {
  const iban = raw.replace(/ /g, '');
  return LENGTHS[iban.slice(0, 2)] === iban.length && ibanChecksumValid(iban);
}

export const ibanDetector: Detector = {
  types: ['iban'],
  trigger: T_IBAN,
  detect(text: string, out: Span[]): void {
    CANDIDATE.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = CANDIDATE.exec(text)) !== null) {
      if (isIban(m[0])) out.push({ start: m.index, end: m.index + m[0].length, type: 'iban' });
    }
  },
};
