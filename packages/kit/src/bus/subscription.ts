// The async iterator behind every bus subscription: events are queued until read, and ending it (by `return()`,
// `for await` break, or the bus closing) wakes a waiting reader and tells the bus to drop the listener.
import type { BusSubscription } from './event-bus.ts';

/** Events kept for a reader that is not keeping up; beyond this the oldest are dropped. */
const MAX_BUFFERED = 10_000;

export class Subscription<T> implements BusSubscription<T> {
  readonly topic: string;
  #queue: T[] = [];
  #waiting: ((result: IteratorResult<T>) => void)[] = [];
  #done = false;
  #onEnd: (subscription: Subscription<T>) => void;
  dropped = 0;

  constructor(topic: string, onEnd: (subscription: Subscription<T>) => void) {
    this.topic = topic;
    this.#onEnd = onEnd;
  }

  get ended(): boolean {
    return this.#done;
  }

  /** Hands an event to this subscriber (called by the bus). */
  push(event: T): void {
    if (this.#done) return;
    const reader = this.#waiting.shift();
    if (reader) {
      reader({ value: event, done: false });
      return;
    }
    this.#queue.push(event);
    if (this.#queue.length > MAX_BUFFERED) {
      this.#queue.shift();
      this.dropped++;
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#queue.length > 0) return Promise.resolve({ value: this.#queue.shift() as T, done: false });
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Ends the subscription; events still queued are discarded with it. */
  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(err?: unknown): Promise<IteratorResult<T>> {
    this.end();
    return Promise.reject(err);
  }

  end(): void {
    if (this.#done) return;
    this.#done = true;
    this.#queue = [];
    for (const reader of this.#waiting.splice(0)) reader({ value: undefined, done: true });
    this.#onEnd(this);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
