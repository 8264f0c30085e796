// PostgreSQL array literals for statement parameters (`= any(?::uuid[])`, `unnest(?::text[])`), written in one
// place. Hand-written statements pass lists this way: one parameter, whatever the list's length.
import { isId } from '../ids.ts';

/**
 * A uuid[] literal. Every element must be a UUID (an id read from the database or already checked): anything else
 * is a fault of the caller, refused here rather than left to change the literal's shape.
 */
export function uuidArray(ids: readonly string[]): string {
  for (const id of ids) {
    if (!isId(id)) throw new TypeError('uuidArray: an element is not a UUID');
  }
  return `{${ids.join(',')}}`;
}

/**
 * A text[] literal, each element double-quoted with `"` and `\` escaped (JSON's escaping, which the array syntax
 * reads alike for those two). For words and lexemes: elements hold no control characters.
 */
export function textArray(items: readonly string[]): string {
  return `{${items.map((item) => JSON.stringify(item)).join(',')}}`;
}
