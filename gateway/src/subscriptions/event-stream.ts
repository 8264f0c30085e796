// An event stream that closes its source the moment the consumer lets go. Async generator functions cannot do
// this: their `return()` waits for the pending `next()`, i.e. for the next event, which may never come.
import type { ExecutionResult } from 'graphql';
import type { UpstreamEvents } from '../topology/endpoint.ts';

export interface EventStreamOptions<In> {
  /** Turns each source event into what the consumer receives. */
  map?: (event: In) => Promise<ExecutionResult> | ExecutionResult;
  /** Turns a failing source into a last event for the consumer (then the stream ends). */
  onError?: (error: unknown) => ExecutionResult;
  /** Runs exactly once, however the stream ends. */
  onClose?: () => void;
}

export function eventStream<In>(source: AsyncIterator<In>, options: EventStreamOptions<In>): UpstreamEvents {
  let closed = false;
  const done: IteratorReturnResult<undefined> = { done: true, value: undefined };

  async function close(): Promise<IteratorReturnResult<undefined>> {
    if (!closed) {
      closed = true;
      options.onClose?.();
      await source.return?.();
    }
    return done;
  }

  const stream: UpstreamEvents = {
    async next() {
      if (closed) return done;
      let step: IteratorResult<In>;
      try {
        step = await source.next();
      } catch (error) {
        if (closed) return done;
        await close();
        if (!options.onError) throw error;
        return { done: false, value: options.onError(error) };
      }
      if (step.done) {
        await close();
        return done;
      }
      let value = options.map ? options.map(step.value) : (step.value as ExecutionResult);
      if (value instanceof Promise) value = await value;
      return { done: false, value };
    },
    return: close,
    async throw(error) {
      await close();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return stream;
    },
    async [Symbol.asyncDispose]() {
      await close();
    },
  };
  return stream;
}
