// The one event-bus interface: an in-process implementation for the single-process embedded topology and a
// Redis one for everything else (pub/sub for live subscribers, a stream per durable topic for consumer groups).
// Both carry only event envelopes and pass the same contract suite.
import type { Logger } from 'pino';
import type { EventEnvelope } from './envelope.ts';

/** A live subscription: an async iterator of payloads that ends (and frees its listener) on `return()`. */
export type BusSubscription<T> = AsyncIterableIterator<T> & { return(): Promise<IteratorResult<T>> };

/** Handles one event; a rejection means "not handled" (a durable consumer tries it again later). */
export type EventHandler<T> = (event: EventEnvelope<T>) => Promise<void>;

export interface ConsumeOptions {
  /** Told of handler failures and of events given up (default: the bus's logger, if any). */
  logger?: Pick<Logger, 'error'>;
}

export interface EventBus {
  /**
   * Delivers `event` (its payload JSON-serialisable) to every current subscriber of `topic`, in any process, and,
   * for a durable topic, to each of its consumer groups. Rejects anything that is not an envelope. After a
   * database write, go through the outbox instead.
   */
  publish<T>(topic: string, event: EventEnvelope<T>): Promise<void>;
  /** Resolves once the subscription is active, so an event published afterwards is never missed. */
  subscribe<T>(topic: string): Promise<BusSubscription<EventEnvelope<T>>>;
  /**
   * Handles the events of a durable topic (DurableTopics in topics.ts) as one consumer of `group`: each event goes
   * to one consumer of each group, one event at a time per consumer. On Redis that holds across processes and
   * restarts: events published while no consumer of the group runs wait for one, a failed handler is tried again
   * later and an event is given up (logged) after a bounded number of deliveries, so handlers must be idempotent.
   * In process there is nothing to keep: a failure is logged and the event dropped. Resolves once consuming has
   * begun; the returned function stops it, waiting for the event in hand.
   */
  consume<T>(
    topic: string,
    group: string,
    handle: EventHandler<T>,
    options?: ConsumeOptions,
  ): Promise<() => Promise<void>>;
  /** Number of live subscriptions and consumers across topics in this process (for leak checks and metrics). */
  listenerCount(): number;
  close(): Promise<void>;
}
