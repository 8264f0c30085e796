// Opaque cursors for the log search. The store pages by (at, id); Loki by the nanosecond timestamp of the last
// entry returned and how many entries at that instant were already returned (several may share it).
import { BadUserInputError, parseInstant } from '@sting/kit';

/** The largest id PostgreSQL's bigint holds: a larger one in a cursor would fail the query instead of paging. */
const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** A log record's id as the store numbers them: a positive bigint, written as its digits. */
const isRowId = (value: unknown): value is string =>
  typeof value === 'string' && /^\d{1,19}$/.test(value) && BigInt(value) <= MAX_BIGINT;

export type LogCursor = { kind: 'store'; at: Date; id: string } | { kind: 'loki'; ns: string; skip: number };

export function encodeLogCursor(cursor: LogCursor): string {
  const parts =
    cursor.kind === 'store' ? ['s', cursor.at.toISOString(), cursor.id] : ['l', cursor.ns, cursor.skip];
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

export function decodeLogCursor(value: string, kind: LogCursor['kind']): LogCursor {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    parts = null;
  }
  if (Array.isArray(parts) && parts.length === 3) {
    if (kind === 'store' && parts[0] === 's' && typeof parts[1] === 'string' && isRowId(parts[2])) {
      const at = parseInstant(parts[1]);
      if (at) return { kind, at, id: parts[2] };
    }
    if (
      kind === 'loki' &&
      parts[0] === 'l' &&
      typeof parts[1] === 'string' &&
      /^\d{1,25}$/.test(parts[1]) &&
      Number.isInteger(parts[2]) &&
      (parts[2] as number) >= 0
    ) {
      return { kind, ns: parts[1], skip: parts[2] as number };
    }
  }
  throw new BadUserInputError('after is not a valid cursor', 'after');
}
