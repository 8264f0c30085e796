// One contract for every EventBus implementation, run against the in-process bus and against a real Redis.
import { describe, it, expect, afterEach } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import type { EventBus } from '../src/bus/event-bus.ts';
import { InProcessEventBus } from '../src/bus/in-process-bus.ts';
import { RedisEventBus } from '../src/bus/redis-bus.ts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Resolves with the next event, or rejects when none arrives in time. */
function within<T>(promise: Promise<T>, ms = 2000): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`nothing within ${ms}ms`)), ms).unref()),
  ]);
}

function eventBusContract(name: string, open: (prefix: string) => EventBus) {
  describe(`${name} (EventBus contract)`, () => {
    const buses: EventBus[] = [];
    const bus = () => {
      const b = open(`test:${randomBytes(4).toString('hex')}:`);
      buses.push(b);
      return b;
    };
    afterEach(async () => {
      await Promise.all(buses.splice(0).map((b) => b.close()));
    });

    it('delivers an event published after subscribe resolves', async () => {
      const b = bus();
      const sub = await b.subscribe<{ jar: string }>('jar.created');
      await b.publish('jar.created', { jar: 'j1' });
      expect(await within(sub.next())).toEqual({ value: { jar: 'j1' }, done: false });
    });

    it('delivers to every subscriber of a topic, in order, and only to that topic', async () => {
      const b = bus();
      const one = await b.subscribe<number>('count');
      const two = await b.subscribe<number>('count');
      const other = await b.subscribe<number>('other');
      for (const n of [1, 2, 3]) await b.publish('count', n);
      for (const sub of [one, two]) {
        const seen = [];
        for (let i = 0; i < 3; i++) seen.push((await within(sub.next())).value);
        expect(seen).toEqual([1, 2, 3]);
      }
      await b.publish('other', 9);
      expect((await within(other.next())).value).toBe(9);
    });

    it('gives each subscriber its own copy of the payload', async () => {
      const b = bus();
      const one = await b.subscribe<{ tags: string[] }>('t');
      const two = await b.subscribe<{ tags: string[] }>('t');
      const payload = { tags: ['a'] };
      await b.publish('t', payload);
      const first = (await within(one.next())).value as { tags: string[] };
      first.tags.push('mutated');
      expect((await within(two.next())).value).toEqual({ tags: ['a'] });
      expect(payload.tags).toEqual(['a']);
    });

    it('frees the listener on return() and ends a waiting reader', async () => {
      const b = bus();
      const keep = await b.subscribe('t');
      const sub = await b.subscribe('t');
      expect(b.listenerCount()).toBe(2);
      const waiting = sub.next();
      await sub.return();
      expect(await within(waiting)).toEqual({ value: undefined, done: true });
      expect(b.listenerCount()).toBe(1);
      await b.publish('t', 'after');
      expect((await within(keep.next())).value).toBe('after');
      expect(await sub.next()).toEqual({ value: undefined, done: true });
    });

    it('frees the listener when a for-await loop breaks', async () => {
      const b = bus();
      const sub = await b.subscribe<number>('loop');
      await b.publish('loop', 1);
      for await (const n of sub) {
        expect(n).toBe(1);
        break;
      }
      expect(b.listenerCount()).toBe(0);
    });

    it('can subscribe again to a topic whose last listener left', async () => {
      const b = bus();
      await (await b.subscribe('again')).return();
      const sub = await b.subscribe<string>('again');
      await b.publish('again', 'back');
      expect((await within(sub.next())).value).toBe('back');
    });

    it('ends every iterator on close() and refuses further use', async () => {
      const b = bus();
      const one = await b.subscribe('a');
      const two = await b.subscribe('b');
      const waiting = one.next();
      await b.close();
      expect(await within(waiting)).toEqual({ value: undefined, done: true });
      expect(await two.next()).toEqual({ value: undefined, done: true });
      expect(b.listenerCount()).toBe(0);
      await expect(b.publish('a', 1)).rejects.toThrow(/closed/);
      await expect(b.subscribe('a')).rejects.toThrow(/closed/);
    });
  });
}

eventBusContract('InProcessEventBus', () => new InProcessEventBus());
eventBusContract('RedisEventBus', (prefix) => new RedisEventBus(redisUrl, { prefix }));

describe('RedisEventBus across processes', () => {
  it('delivers an event published on one bus to subscribers on another', async () => {
    const prefix = `test:${randomBytes(4).toString('hex')}:`;
    const a = new RedisEventBus(redisUrl, { prefix, name: 'bus-a' });
    const b = new RedisEventBus(redisUrl, { prefix, name: 'bus-b' });
    try {
      const sub = await b.subscribe<{ id: number }>('message.created');
      await a.publish('message.created', { id: 7 });
      expect((await within(sub.next())).value).toEqual({ id: 7 });
      expect(a.listenerCount()).toBe(0);
      expect(b.listenerCount()).toBe(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
