// Reads a REST request's JSON body with a size limit, so a large or malformed body is the client's 400 and never
// an unbounded buffer in the gateway.
import type { IncomingMessage } from 'node:http';
import { BadUserInputError } from '@sting/kit/errors.ts';
import { JsonTextError, parseJsonBytes } from '@sting/kit/http/json-text.ts';

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/** Raised when the body is over the limit; the caller closes the connection instead of reading the rest. */
export class BodyTooLargeError extends BadUserInputError {
  constructor(limit: number) {
    super(`The request body is larger than ${limit} bytes`);
  }
}

function isJsonContentType(header: string | undefined): boolean {
  // No content type is refused too: a cross-site form post can omit it (see pipeline/csrf.ts).
  if (!header) return false;
  const type = header.split(';')[0].trim().toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

async function readLimited(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** JSON's four whitespace bytes: a body of only these is empty. */
const isJsonWhitespace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/** Body bytes as JSON (UTF-8, nested at most MAX_JSON_DEPTH levels), or the client's 400 saying what is wrong. */
export function jsonOf(bytes: Uint8Array): unknown {
  try {
    return parseJsonBytes(bytes);
  } catch (err) {
    if (err instanceof JsonTextError) throw new BadUserInputError(err.message);
    throw err;
  }
}

/** The body as a JSON object; an empty body is `{}` so a PUT with nothing to change is still valid. */
export async function readJsonObject(
  req: IncomingMessage,
  limit = DEFAULT_BODY_LIMIT_BYTES,
): Promise<object> {
  if (!isJsonContentType(req.headers['content-type'])) {
    throw new BadUserInputError('Send the request body as application/json');
  }
  const bytes = await readLimited(req, limit);
  if (bytes.every(isJsonWhitespace)) return {};
  const parsed = jsonOf(bytes);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new BadUserInputError('The request body must be a JSON object');
  }
  return parsed;
}
