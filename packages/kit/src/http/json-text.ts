// Request bodies as JSON, read strictly: UTF-8 that is not valid is refused rather than stored with U+FFFD in place
// of what the client meant, and a value nested deeper than anything the platform's inputs have is refused before
// any code walks it (walking `[[[[…]]]]` 100,000 levels deep recursively overflows the stack: a 500, not the
// client's 400). The limit is checked without recursion.

/** The deepest nesting of arrays and objects a request body or a variable may have. */
export const MAX_JSON_DEPTH = 64;

/** Bytes that are not a JSON value the platform takes: the message says what is wrong, in the client's terms. */
export class JsonTextError extends Error {}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as text; refused unless they are valid UTF-8. */
export function utf8Text(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new JsonTextError('The request body is not valid UTF-8');
  }
}

/**
 * How deep `value` nests arrays and objects (a scalar is 0), counted up to `max + 1` at most: enough to tell that
 * it is over the limit without walking the rest.
 */
export function jsonDepth(value: unknown, max = MAX_JSON_DEPTH): number {
  let deepest = 0;
  // Objects still to look into, with their depths alongside (no pair allocated per object).
  const pending: object[] = [];
  const depths: number[] = [];
  if (value !== null && typeof value === 'object') {
    pending.push(value);
    depths.push(1);
  }
  while (pending.length > 0) {
    const item = pending.pop() as Record<string, unknown> | unknown[];
    const depth = depths.pop()!;
    if (depth > deepest) {
      deepest = depth;
      if (deepest > max) return deepest;
    }
    if (Array.isArray(item)) {
      for (let i = 0; i < item.length; i++) {
        const child = item[i];
        if (child !== null && typeof child === 'object') {
          pending.push(child);
          depths.push(depth + 1);
        }
      }
    } else {
      for (const key in item) {
        const child = item[key];
        if (child !== null && typeof child === 'object') {
          pending.push(child);
          depths.push(depth + 1);
        }
      }
    }
  }
  return deepest;
}

/** The error for a value nested over the limit, naming what was nested (`The request body`, `$input`). */
export function nestingMessage(what: string, max = MAX_JSON_DEPTH): string {
  return `${what} is nested more than ${max} levels deep`;
}

/** Request body bytes as a JSON value: valid UTF-8, valid JSON, nested at most MAX_JSON_DEPTH levels. */
export function parseJsonBytes(bytes: Uint8Array): unknown {
  const text = utf8Text(bytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new JsonTextError('The request body is not valid JSON');
  }
  if (jsonDepth(value) > MAX_JSON_DEPTH) throw new JsonTextError(nestingMessage('The request body'));
  return value;
}
