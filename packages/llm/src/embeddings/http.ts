// The one way embedders talk to a model server: POST JSON with a timeout, the caller's AbortSignal, and
// errors that say which server failed and how, without echoing request bodies (they hold document text).
import { EmbeddingError } from './errors.ts';

export interface PostOptions {
  provider: string;
  url: string;
  body: unknown;
  headers?: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** The caller's abort is rethrown as is (an AbortError); a timeout or HTTP failure becomes an EmbeddingError. */
export async function postJson(options: PostOptions): Promise<unknown> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
      body: JSON.stringify(options.body),
      signal,
    });
  } catch (err) {
    throw failure(options, err);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (err) {
    throw failure(options, err);
  }
  if (!response.ok) {
    throw new EmbeddingError(
      options.provider,
      `${options.url} answered ${response.status}: ${serverMessage(text)}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new EmbeddingError(options.provider, `${options.url} answered with something that is not JSON`);
  }
}

function failure(options: PostOptions, err: unknown): unknown {
  if (options.signal?.aborted) return options.signal.reason ?? err;
  if ((err as Error).name === 'TimeoutError') {
    return new EmbeddingError(
      options.provider,
      `${options.url} did not answer within ${options.timeoutMs} ms`,
    );
  }
  const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
  return new EmbeddingError(options.provider, `${options.url} cannot be reached (${cause})`, { cause: err });
}

/** The error text a server put in its body (OpenAI: error.message; Ollama: error), kept short. */
function serverMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: string | { message?: string } };
    const message = typeof parsed.error === 'string' ? parsed.error : parsed.error?.message;
    if (message) return message.slice(0, 200);
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.slice(0, 200) || '(empty body)';
}
