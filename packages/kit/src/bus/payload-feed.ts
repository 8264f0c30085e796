// A bus subscription seen as the stream of its payloads, for GraphQL subscriptions: repeated event ids (the
// outbox delivers at least once) are dropped, and an optional filter keeps only what the subscriber asked for, or
// ends the feed (a subscriber who may no longer see what it streams). The filter may be asynchronous: events are
// still handed on one at a time, in order.
// A plain iterator rather than an async generator: a generator cannot run `return()` while it waits for the
// next event, so closing it would keep the bus listener alive until another event arrived.
import type { BusSubscription } from './event-bus.ts';
import type { EventEnvelope } from './envelope.ts';

/** How many recent event ids a feed remembers to recognise a redelivery. */
const REMEMBERED_IDS = 1_000;

/** A feed's filter: keep the payload (true), skip it (false), or end the feed here ('end'). */
export type FeedFilter<T> = (payload: T) => boolean | 'end' | Promise<boolean | 'end'>;

export function payloadFeed<T>(
  source: BusSubscription<EventEnvelope<T>>,
  keep: FeedFilter<T> = () => true,
): BusSubscription<T> {
  const seen = new Set<string>();
  const feed: BusSubscription<T> = {
    async next() {
      for (;;) {
        const result = await source.next();
        if (result.done) return { value: undefined, done: true };
        const event = result.value;
        if (seen.has(event.id)) continue;
        seen.add(event.id);
        // Sets iterate in insertion order, so the first entry is the oldest.
        if (seen.size > REMEMBERED_IDS) seen.delete(seen.values().next().value as string);
        const decision = await keep(event.payload);
        if (decision === 'end') {
          await source.return();
          return { value: undefined, done: true };
        }
        if (decision) return { value: event.payload, done: false };
      }
    },
    async return() {
      await source.return();
      return { value: undefined, done: true };
    },
    async throw(err?: unknown) {
      await source.return();
      throw err;
    },
    [Symbol.asyncIterator]: () => feed,
  };
  return feed;
}
