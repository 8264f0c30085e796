// The one event-bus interface: an in-process implementation for the single-process embedded topology and a
// Redis pub/sub one for everything else. Both pass the same contract suite.

/** A live subscription: an async iterator of payloads that ends (and frees its listener) on `return()`. */
export type BusSubscription<T> = AsyncIterableIterator<T> & { return(): Promise<IteratorResult<T>> };

export interface EventBus {
  /** Delivers `payload` (JSON-serialisable) to every current subscriber of `topic`, in any process. */
  publish<T>(topic: string, payload: T): Promise<void>;
  /** Resolves once the subscription is active, so an event published afterwards is never missed. */
  subscribe<T>(topic: string): Promise<BusSubscription<T>>;
  /** Number of live subscriptions across topics in this process (for leak checks and metrics). */
  listenerCount(): number;
  close(): Promise<void>;
}
