// Opaque keyset cursors for the honey jar list: the (createdAt, id) of the last row seen, base64url-encoded.
// Clients must treat them as opaque; their shape may change.
import { BadUserInputError } from '@sting/kit';

export interface CursorKey {
  createdAt: Date;
  id: string;
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.createdAt.toISOString(), key.id])).toString('base64url');
}

export function decodeCursor(cursor: string, field = 'after'): CursorKey {
  try {
    const [iso, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const createdAt = new Date(String(iso));
    if (typeof iso === 'string' && typeof id === 'string' && !Number.isNaN(createdAt.getTime())) {
      return { createdAt, id };
    }
  } catch {
    // fall through: any undecodable cursor is the client's mistake
  }
  throw new BadUserInputError('Not a valid cursor', field);
}
