// A bus subscription narrowed to the alerts a subscriber asked for. Written as a plain iterator rather than an
// async generator: a generator cannot run `return()` while it waits for the next event, so closing it would
// keep the bus listener alive until another alert arrived.
import type { BusSubscription } from '@sting/kit';

export function filterFeed<T>(source: BusSubscription<T>, keep: (event: T) => boolean): BusSubscription<T> {
  const feed: BusSubscription<T> = {
    async next() {
      for (;;) {
        const result = await source.next();
        if (result.done || keep(result.value)) return result;
      }
    },
    return: () => source.return(),
    throw: (err?: unknown) => (source.throw ? source.throw(err) : Promise.reject(err)),
    [Symbol.asyncIterator]: () => feed,
  };
  return feed;
}
