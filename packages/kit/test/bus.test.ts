// One contract for every EventBus implementation, run against the in-process bus and against a real Redis:
// both carry the platform's event envelopes, whole, and nothing else.
import { describe, it, expect, afterEach } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { within } from '../src/testing/wait.ts';
import { Redis } from 'ioredis';
import { createEvent, type EventEnvelope } from '../src/bus/envelope.ts';
import type { EventBus } from '../src/bus/event-bus.ts';
import { InProcessEventBus } from '../src/bus/in-process-bus.ts';
import { payloadFeed } from '../src/bus/payload-feed.ts';
import { RedisEventBus } from '../src/bus/redis-bus.ts';
import { EventTypes } from '../src/bus/topics.ts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** An envelope around `payload`, as a subgraph would send it. */
const ev = <T>(payload: T): EventEnvelope<T> =>
  createEvent(EventTypes.userAction, payload, { source: 'kit-test', correlationId: 'req-1' });

/** The payload of the next event. */
const nextPayload = async <T>(sub: AsyncIterator<EventEnvelope<T>>) => {
  const result = await within(sub.next());
  return result.done ? undefined : result.value.payload;
};

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

    it('delivers an event published after subscribe resolves, with every envelope field intact', async () => {
      const b = bus();
      const sub = await b.subscribe<{ jar: string }>('jar.created');
      const event = createEvent(
        EventTypes.honeyJarCreated,
        { jar: 'j1' },
        {
          source: 'honey-jars',
          correlationId: 'req-42',
          metadata: { actorId: 'u-1' },
        },
      );
      await b.publish('jar.created', event);
      const received = await within(sub.next());
      expect(received).toEqual({ value: event, done: false });
      expect(Object.keys(received.value as object).sort()).toEqual(
        ['correlation_id', 'id', 'metadata', 'payload', 'source', 'timestamp', 'type'].sort(),
      );
      expect(received.value).toMatchObject({ type: 'honeyjar.created', correlation_id: 'req-42' });
    });

    it('refuses to publish anything that is not an envelope', async () => {
      const b = bus();
      await expect(b.publish('t', { jar: 'j1' } as never)).rejects.toThrow(/envelope/);
      await expect(b.publish('t', { ...ev(1), type: 'made.up' } as never)).rejects.toThrow(/envelope/);
      await expect(b.publish('t', { ...ev(1), id: '' })).rejects.toThrow(/envelope/);
    });

    it('lets a payload feed drop a redelivered event id', async () => {
      const b = bus();
      const feed = payloadFeed(await b.subscribe<number>('dup'));
      const once = ev(1);
      await b.publish('dup', once);
      await b.publish('dup', once);
      await b.publish('dup', ev(2));
      expect((await within(feed.next())).value).toBe(1);
      expect((await within(feed.next())).value).toBe(2);
      await feed.return();
      expect(b.listenerCount()).toBe(0);
    });

    it('lets a payload feed filter asynchronously, in order, and end where its filter says', async () => {
      const b = bus();
      const feed = payloadFeed(await b.subscribe<number>('filtered'), async (n) => {
        await new Promise((r) => setTimeout(r, 5 - n));
        return n === 4 ? 'end' : n % 2 === 1;
      });
      for (const n of [1, 2, 3, 4, 5]) await b.publish('filtered', ev(n));
      expect((await within(feed.next())).value).toBe(1);
      expect((await within(feed.next())).value).toBe(3);
      expect(await within(feed.next())).toEqual({ value: undefined, done: true });
      // Ending lets go of the bus subscription: 5 is never read.
      expect(b.listenerCount()).toBe(0);
    });

    it('delivers to every subscriber of a topic, in order, and only to that topic', async () => {
      const b = bus();
      const one = await b.subscribe<number>('count');
      const two = await b.subscribe<number>('count');
      const other = await b.subscribe<number>('other');
      for (const n of [1, 2, 3]) await b.publish('count', ev(n));
      for (const sub of [one, two]) {
        const seen = [];
        for (let i = 0; i < 3; i++) seen.push(await nextPayload(sub));
        expect(seen).toEqual([1, 2, 3]);
      }
      await b.publish('other', ev(9));
      expect(await nextPayload(other)).toBe(9);
    });

    it('gives each subscriber its own copy of the payload', async () => {
      const b = bus();
      const one = await b.subscribe<{ tags: string[] }>('t');
      const two = await b.subscribe<{ tags: string[] }>('t');
      const payload = { tags: ['a'] };
      await b.publish('t', ev(payload));
      const first = (await nextPayload(one)) as { tags: string[] };
      first.tags.push('mutated');
      expect(await nextPayload(two)).toEqual({ tags: ['a'] });
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
      await b.publish('t', ev('after'));
      expect(await nextPayload(keep)).toBe('after');
      expect(await sub.next()).toEqual({ value: undefined, done: true });
    });

    it('frees the listener when a for-await loop breaks', async () => {
      const b = bus();
      const sub = await b.subscribe<number>('loop');
      await b.publish('loop', ev(1));
      for await (const n of sub) {
        expect(n.payload).toBe(1);
        break;
      }
      expect(b.listenerCount()).toBe(0);
    });

    it('can subscribe again to a topic whose last listener left', async () => {
      const b = bus();
      await (await b.subscribe('again')).return();
      const sub = await b.subscribe<string>('again');
      await b.publish('again', ev('back'));
      expect(await nextPayload(sub)).toBe('back');
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
      await expect(b.publish('a', ev(1))).rejects.toThrow(/closed/);
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
      const event = ev({ id: 7 });
      await a.publish('message.created', event);
      expect((await within(sub.next())).value).toEqual(event);
      expect(a.listenerCount()).toBe(0);
      expect(b.listenerCount()).toBe(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('RedisEventBus and foreign messages', () => {
  it('drops a message on its channel that is not an envelope, and delivers the next real one', async () => {
    const prefix = `test:${randomBytes(4).toString('hex')}:`;
    const bus = new RedisEventBus(redisUrl, { prefix });
    const intruder = new Redis(redisUrl);
    try {
      const sub = await bus.subscribe<string>('chat.message.x');
      await intruder.publish(`${prefix}chat.message.x`, JSON.stringify({ text: 'forged' }));
      await intruder.publish(`${prefix}chat.message.x`, 'not json');
      const real = ev('real');
      await bus.publish('chat.message.x', real);
      expect((await within(sub.next())).value).toEqual(real);
    } finally {
      intruder.disconnect();
      await bus.close();
    }
  });
});
