// Instants a client sends: ISO 8601 text only, and only within the years every store of the platform keeps.
//
// `new Date(text)` reads far more than ISO 8601 ("1" is 2001-01-01, "Dec 7 2026", an RFC 2822 date) and reads a
// date-time without a zone in the server's own time zone, so the same request meant different instants on
// different servers. It also reads expanded years (+275760-09-13, -000001-01-01) that PostgreSQL refuses, which
// made a client's bad date a 500. Every date from outside (the DateTime scalar, cursors, the audit filter, the
// health report's period) is read and checked here.
import { BadUserInputError } from './errors.ts';

/** The years an instant may fall in: what PostgreSQL, JavaScript and ISO 8601's four-digit years all agree on. */
export const INSTANT_YEARS = { min: 1, max: 9999 } as const;

/** Whether `date` is a valid instant within INSTANT_YEARS (in UTC). */
export function isStorableInstant(date: Date): boolean {
  const year = date.getUTCFullYear();
  return !Number.isNaN(year) && year >= INSTANT_YEARS.min && year <= INSTANT_YEARS.max;
}

// YYYY-MM-DD, optionally followed by Thh:mm, :ss, a fraction of a second and a zone (Z, ±hh, ±hhmm or ±hh:mm).
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * The instant an ISO 8601 date or date-time names, or null when `text` is anything else, names no real day or time
 * (2026-02-30, 24:01) or falls outside INSTANT_YEARS. A date alone is midnight UTC, and a date-time without a zone
 * is read in UTC too, never in the server's time zone.
 */
export function parseInstant(text: string): Date | null {
  const match = ISO_8601.exec(text);
  if (!match) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone = 'Z'] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: the latter reads years 0 to 99 as 1900 to 1999.
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCDate() !== day) return null; // the 30th of February rolled over into March
  date.setUTCHours(hour, minute, second, Number(fraction.padEnd(3, '0').slice(0, 3)));
  const offset = /^[+-]/.test(zone) ? zone.replace(':', '') : '';
  if (offset) {
    const hours = Number(offset.slice(1, 3));
    const minutes = Number(offset.slice(3) || '0');
    if (hours > 23 || minutes > 59) return null;
    const sign = offset.startsWith('-') ? -1 : 1;
    date.setTime(date.getTime() - sign * (hours * 60 + minutes) * 60_000);
  }
  return isStorableInstant(date) ? date : null;
}

/**
 * `value` (a Date, or ISO 8601 text) as an instant within INSTANT_YEARS; null when not given. Anything else is the
 * client's BAD_USER_INPUT naming `field` ("from is not a valid time"), never a query PostgreSQL refuses.
 */
export function checkedInstant(value: Date | string | null | undefined, field: string): Date | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : typeof value === 'string' ? parseInstant(value) : null;
  if (!date || !isStorableInstant(date)) throw new BadUserInputError(`${field} is not a valid time`, field);
  return date;
}
