// What the HTTP providers share: posting JSON to a model server, classifying its refusals, and reading a
// streamed body line by line (server-sent events and NDJSON are both line protocols).
import { ChatModelError } from './errors.ts';

export async function postJson(
  provider: string,
  url: string,
  body: unknown,
  signal: AbortSignal,
  headers: Record<string, string> = {},
): Promise<ReadableStream<Uint8Array>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal,
  });
  if (!response.ok || !response.body) {
    // The body may echo the request or the key's prefix: it is drained, not kept.
    await response.body?.cancel().catch(() => undefined);
    const status = response.status;
    const kind =
      status === 401 || status === 403
        ? 'refused'
        : status >= 500 || status === 429
          ? 'unavailable'
          : 'bad_response';
    throw new ChatModelError(provider, kind, `the model server answered HTTP ${status}`);
  }
  return response.body;
}

/** The body's lines without their line ends; a last line without one is delivered too. */
export async function* lines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = '';
  for await (const bytes of body) {
    pending += decoder.decode(bytes, { stream: true });
    let end: number;
    while ((end = pending.indexOf('\n')) >= 0) {
      yield pending.slice(0, end).replace(/\r$/, '');
      pending = pending.slice(end + 1);
    }
  }
  pending += decoder.decode();
  if (pending) yield pending;
}

export function parseJson(provider: string, text: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text) as unknown;
    if (value && typeof value === 'object') return value as Record<string, unknown>;
  } catch {
    // fall through: reported below without the text, which may be anything the server sent
  }
  throw new ChatModelError(
    provider,
    'bad_response',
    'the model server sent a line that is not a JSON object',
  );
}

export const trimSlash = (url: string) => url.replace(/\/+$/, '');
