// Carries a node:http request into Apollo Server 5 and its answer back out: the one adapter used by the
// gateway and by every standalone subgraph, with the request body size capped before it is parsed.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLResponse } from '@apollo/server';
import { JsonTextError, parseJsonBytes, utf8Text } from '../http/json-text.ts';

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

export class BodyTooLargeError extends Error {
  constructor(limit: number) {
    super(`Request body exceeds ${limit} bytes`);
  }
}

/** Reads and parses a JSON body; undefined when empty. Throws BodyTooLargeError past `limit` bytes. */
export async function readJsonBody(req: IncomingMessage, limit = DEFAULT_BODY_LIMIT_BYTES): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  const bytes = Buffer.concat(chunks);
  const type = req.headers['content-type'] ?? '';
  // Apollo decides what a non-JSON body means (it refuses it, which is the CSRF protection we want).
  return type.includes('json') ? parseJsonBytes(bytes) : utf8Text(bytes);
}

/** What a client is told of a body that could not be read: what was wrong with it, nothing of the server. */
export function bodyErrorMessage(err: unknown): string {
  return err instanceof BodyTooLargeError || err instanceof JsonTextError
    ? err.message
    : 'Malformed JSON body';
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** Answers a GraphQL-over-HTTP request with `server`, for a context built by the caller. */
export async function serveApolloHttp<TContext extends BaseContext>(
  server: ApolloServer<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  context: () => Promise<TContext>,
  bodyLimit = DEFAULT_BODY_LIMIT_BYTES,
): Promise<void> {
  let body: unknown;
  try {
    body = req.method === 'POST' ? await readJsonBody(req, bodyLimit) : undefined;
  } catch (err) {
    const tooLarge = err instanceof BodyTooLargeError;
    sendJson(res, tooLarge ? 413 : 400, {
      errors: [{ message: bodyErrorMessage(err), extensions: { code: 'BAD_REQUEST' } }],
    });
    return;
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const response = await server.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers: headerMapOf(req), search: url.search, body },
    context,
  });
  await writeApolloResponse(res, response);
}

/** A request's headers as Apollo reads them (a repeated header's values joined with commas). */
export function headerMapOf(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/** Writes Apollo's answer to `res`: whole, or chunk by chunk as an incremental one streams. */
export async function writeApolloResponse(res: ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
