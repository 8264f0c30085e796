// The one event-bus interface: an in-process implementation for the single-process embedded topology and a
// Redis pub/sub one for everything else. Both carry only event envelopes and pass the same contract suite.
import type { EventEnvelope } from './envelope.ts';

/** A live subscription: an async iterator of payloads that ends (and frees its listener) on `return()`. */
export type BusSubscription<T> = AsyncIterableIterator<T> & { return(): Promise<IteratorResult<T>> };

export interface EventBus {
  /**
   * Delivers `event` (its payload JSON-serialisable) to every current subscriber of `topic`, in any process.
   * Rejects anything that is not an envelope. After a database write, go through the outbox instead.
   */
  publish<T>(topic: string, event: EventEnvelope<T>): Promise<void>;
  /** Resolves once the subscription is active, so an event published afterwards is never missed. */
  subscribe<T>(topic: string): Promise<BusSubscription<EventEnvelope<T>>>;
  /** Number of live subscriptions across topics in this process (for leak checks and metrics). */
  listenerCount(): number;
  close(): Promise<void>;
}
