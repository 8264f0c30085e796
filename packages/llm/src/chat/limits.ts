// Holds one provider call to its limits: a time to the first token per attempt, a time for the whole answer,
// retries only while nothing has reached the person (a retry after a delta would repeat text), and cancellation.
import { ChatModelError, isAbort } from './errors.ts';
import type { ChatChunk, ChatLimits } from './types.ts';

/** One attempt at the provider: its chunks, stopping (by rejecting) when `signal` aborts. */
export type ChatAttempt = (signal: AbortSignal) => AsyncIterable<ChatChunk>;

function asChatError(provider: string, err: unknown): ChatModelError {
  if (err instanceof ChatModelError) return err;
  // fetch's TypeError('fetch failed'), a reset socket, a body that broke off: the server went away.
  return new ChatModelError(provider, 'unavailable', (err as Error)?.message ?? String(err), { cause: err });
}

export async function* streamWithLimits(
  provider: string,
  attempt: ChatAttempt,
  limits: ChatLimits,
  outer?: AbortSignal,
): AsyncGenerator<ChatChunk> {
  outer?.throwIfAborted();
  const whole = new AbortController();
  let overall: ChatModelError | undefined;
  const totalTimer = setTimeout(() => {
    overall = new ChatModelError(
      provider,
      'timeout',
      `no complete answer within ${limits.totalTimeoutMs} ms`,
      {
        retryable: false,
      },
    );
    whole.abort(overall);
  }, limits.totalTimeoutMs);
  const cancel = () => whole.abort(outer?.reason);
  outer?.addEventListener('abort', cancel, { once: true });
  let sawDelta = false;
  try {
    for (let attemptNo = 0; ; attemptNo++) {
      const call = new AbortController();
      const relay = () => call.abort(whole.signal.reason);
      whole.signal.addEventListener('abort', relay, { once: true });
      let slow: ChatModelError | undefined;
      const firstTimer = setTimeout(() => {
        slow = new ChatModelError(
          provider,
          'timeout',
          `no first token within ${limits.firstTokenTimeoutMs} ms`,
        );
        call.abort(slow);
      }, limits.firstTokenTimeoutMs);
      try {
        for await (const chunk of attempt(call.signal)) {
          if (chunk.type === 'stop') {
            yield chunk;
            return;
          }
          if (chunk.text === '') continue;
          if (!sawDelta) clearTimeout(firstTimer);
          sawDelta = true;
          yield chunk;
        }
        throw new ChatModelError(provider, 'unavailable', 'the stream ended without a stop reason');
      } catch (err) {
        if (outer?.aborted && isAbort(err, outer)) throw outer.reason;
        const failure = overall ?? slow ?? asChatError(provider, err);
        if (sawDelta || overall || !failure.retryable || attemptNo >= limits.retries) throw failure;
      } finally {
        clearTimeout(firstTimer);
        whole.signal.removeEventListener('abort', relay);
        // Ends the provider's connection when the consumer stopped reading early; harmless once it is done.
        call.abort();
      }
    }
  } finally {
    clearTimeout(totalTimer);
    outer?.removeEventListener('abort', cancel);
  }
}
