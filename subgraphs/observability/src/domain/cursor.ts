// Opaque keyset cursors for the alert list: the (createdAt, id) of the last alert seen, base64url-encoded.
// Clients must treat them as opaque; their shape may change.
import { BadUserInputError, isId } from '@sting/kit';

export interface AlertCursor {
  createdAt: Date;
  id: string;
}

export const encodeCursor = (key: AlertCursor): string =>
  Buffer.from(JSON.stringify([key.createdAt.toISOString(), key.id])).toString('base64url');

export function decodeCursor(cursor: string): AlertCursor {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parts = null;
  }
  if (Array.isArray(parts) && parts.length === 2 && typeof parts[0] === 'string' && isId(parts[1])) {
    const createdAt = new Date(parts[0]);
    // A year PostgreSQL cannot store is the client's mistake too, never a 500.
    const year = createdAt.getUTCFullYear();
    if (year >= 1 && year <= 9999) return { createdAt, id: parts[1] };
  }
  throw new BadUserInputError('Not a valid cursor', 'after');
}
