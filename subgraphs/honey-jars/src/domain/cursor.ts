// The honey jar list pages with kit's keyset cursors on (createdAt, id).
export { decodeCursor, encodeCursor, type CursorKey } from '@sting/kit';
