// Durable topics consumed by consumer groups: on both buses each event goes to one consumer of each group and live
// subscribers still hear everything; on a real Redis the stream keeps events for a group whose consumers are
// down, consumers of a group share the work and every event is handled once, an entry held by a consumer that
// died is taken over after the idle timeout, a failing handler is tried again and given up after maxDeliveries,
// and the stream stays bounded (MAXLEN on publishing, and what every group acknowledged is trimmed).
import { describe, it, expect, afterEach } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { waitFor, within } from '../src/testing/wait.ts';
import { createEvent, type EventEnvelope } from '../src/bus/envelope.ts';
import type { EventBus } from '../src/bus/event-bus.ts';
import { InProcessEventBus } from '../src/bus/in-process-bus.ts';
import { RedisEventBus, streamOptions, type RedisEventBusOptions } from '../src/bus/redis-bus.ts';
import { EventTypes, Topics } from '../src/bus/topics.ts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const TOPIC = Topics.identity.userDeleted;
/** Short enough for a test: a delivery unacknowledged for 300 ms is taken over or tried again. */
const IDLE_MS = 300;

const ev = (n: number): EventEnvelope<{ n: number }> =>
  createEvent(EventTypes.userDeleted, { n }, { source: 'kit-test' });
const range = (count: number) => Array.from({ length: count }, (_, i) => i + 1);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Buses and connections opened by a test, closed after it. */
const opened: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.close()));
});

function durableContract(name: string, open: () => EventBus) {
  describe(`${name}: durable topics`, () => {
    const bus = () => {
      const b = open();
      opened.push(b);
      return b;
    };

    it('hands each event to one consumer of each group, and to every live subscriber', async () => {
      const b = bus();
      const seen: string[] = [];
      const consumer = (label: string) => async (event: EventEnvelope<{ n: number }>) =>
        void seen.push(`${label} ${event.payload.n}`);
      await b.consume(TOPIC, 'chat', consumer('chat-1'));
      await b.consume(TOPIC, 'chat', consumer('chat-2'));
      await b.consume(TOPIC, 'honey-jars', consumer('jars'));
      const live = await b.subscribe<{ n: number }>(TOPIC);
      for (const n of range(20)) await b.publish(TOPIC, ev(n));
      await waitFor(() => seen.length === 40);
      const byChat = seen.filter((s) => s.startsWith('chat')).map((s) => Number(s.split(' ')[1]));
      expect(byChat.sort((x, y) => x - y)).toEqual(range(20));
      expect(seen.filter((s) => s.startsWith('chat-1')).length).toBeGreaterThan(0);
      expect(seen.filter((s) => s.startsWith('chat-2')).length).toBeGreaterThan(0);
      expect(seen.filter((s) => s.startsWith('jars')).map((s) => Number(s.split(' ')[1]))).toEqual(range(20));
      for (const n of range(20)) expect((await within(live.next())).value?.payload.n).toBe(n);
    });

    it('refuses to consume a topic that is not durable', async () => {
      await expect(bus().consume(Topics.honeyJar.created, 'chat', async () => undefined)).rejects.toThrow(
        /not a durable topic/,
      );
    });

    it('counts consumers as listeners until they stop, and stops them on close()', async () => {
      const b = bus();
      const before = b.listenerCount();
      const stop = await b.consume(TOPIC, 'chat', async () => undefined);
      await b.consume(TOPIC, 'honey-jars', async () => undefined);
      expect(b.listenerCount()).toBe(before + 2);
      await stop();
      expect(b.listenerCount()).toBe(before + 1);
      await b.close();
      expect(b.listenerCount()).toBe(0);
      await expect(b.consume(TOPIC, 'chat', async () => undefined)).rejects.toThrow(/closed/);
    });
  });
}

durableContract('InProcessEventBus', () => new InProcessEventBus());
durableContract(
  'RedisEventBus',
  () => new RedisEventBus(redisUrl, { prefix: `test:${randomBytes(4).toString('hex')}:` }),
);

describe('RedisEventBus stream options', () => {
  it('takes config.yml’s redis.streams, and refuses a bound for a topic that is not durable', () => {
    expect(streamOptions({ maxLength: { [TOPIC]: 500 }, idleSeconds: 5, maxDeliveries: 4 })).toEqual({
      streamMaxLength: { [TOPIC]: 500 },
      consumers: { idleMs: 5_000, maxDeliveries: 4 },
    });
    expect(() => new RedisEventBus(redisUrl, { streamMaxLength: { 'user.delted': 500 } })).toThrow(
      /redis.streams.maxLength: user.delted is not a durable topic/,
    );
  });
});

describe('RedisEventBus consumer groups', () => {
  /** One namespace per test, shared by the buses ("processes") it opens. */
  let prefix = '';
  const streamKey = () => `${prefix}stream:${TOPIC}`;
  const bus = (options: RedisEventBusOptions = {}) => {
    const b = new RedisEventBus(redisUrl, {
      prefix,
      consumers: { idleMs: IDLE_MS, maxDeliveries: 3 },
      ...options,
    });
    opened.push(b);
    return b;
  };
  const redis = () => {
    const client = new Redis(redisUrl);
    opened.push({ close: async () => client.disconnect() });
    return client;
  };
  const fresh = () => (prefix = `test-durable-${randomBytes(4).toString('hex')}:`);

  it('keeps events published while no consumer runs, for the group’s first start and for its next', async () => {
    fresh();
    const identity = bus();
    for (const n of range(3)) await identity.publish(TOPIC, ev(n));
    const handled: number[] = [];
    const handle = async (event: EventEnvelope<{ n: number }>) => void handled.push(event.payload.n);
    const stop = await bus().consume(TOPIC, 'chat', handle);
    await waitFor(() => handled.length === 3);
    await stop();
    for (const n of [4, 5]) await identity.publish(TOPIC, ev(n));
    await sleep(100);
    expect(handled).toEqual([1, 2, 3]);
    await bus().consume(TOPIC, 'chat', handle);
    await waitFor(() => handled.length === 5);
    expect(handled).toEqual(range(5));
  });

  it('shares a group’s events among its consumers, each handled exactly once', async () => {
    fresh();
    const handledBy = new Map<number, string[]>();
    const consumer = (label: string) => async (event: EventEnvelope<{ n: number }>) => {
      handledBy.set(event.payload.n, [...(handledBy.get(event.payload.n) ?? []), label]);
      await sleep(2);
    };
    await bus().consume(TOPIC, 'chat', consumer('a'));
    await bus().consume(TOPIC, 'chat', consumer('b'));
    const publisher = bus();
    for (const n of range(60)) await publisher.publish(TOPIC, ev(n));
    await waitFor(() => handledBy.size === 60);
    await sleep(2 * IDLE_MS);
    const labels = [...handledBy.values()];
    expect(labels.every((l) => l.length === 1)).toBe(true);
    expect(labels.filter(([l]) => l === 'a').length).toBeGreaterThan(5);
    expect(labels.filter(([l]) => l === 'b').length).toBeGreaterThan(5);
    expect(((await redis().xpending(streamKey(), 'chat')) as [number])[0]).toBe(0);
  });

  it('takes over, after the idle timeout, an entry a consumer that died had not acknowledged', async () => {
    fresh();
    const raw = redis();
    await raw.call('XGROUP', 'CREATE', streamKey(), 'chat', '0', 'MKSTREAM');
    await bus().publish(TOPIC, ev(1));
    // A replica read it and died before acknowledging it.
    await raw.call('XREADGROUP', 'GROUP', 'chat', 'crashed', 'COUNT', '1', 'STREAMS', streamKey(), '>');
    const readAt = Date.now();
    const handled: { n: number; at: number }[] = [];
    await bus({ consumers: { idleMs: IDLE_MS, forgetConsumersAfterMs: 1_000 } }).consume<{ n: number }>(
      TOPIC,
      'chat',
      async (event) => void handled.push({ n: event.payload.n, at: Date.now() }),
    );
    await waitFor(() => handled.length === 1);
    expect(handled[0].n).toBe(1);
    expect(handled[0].at - readAt).toBeGreaterThanOrEqual(IDLE_MS - 20);
    await waitFor(async () => ((await raw.xpending(streamKey(), 'chat')) as [number])[0] === 0);
    // The dead consumer, holding nothing any more, is forgotten a while later.
    const consumers = async () =>
      ((await raw.call('XINFO', 'CONSUMERS', streamKey(), 'chat')) as unknown[][]).map((c) => String(c[1]));
    expect(await consumers()).toContain('crashed');
    await waitFor(async () => !(await consumers()).includes('crashed'), { timeoutMs: 5_000 });
  });

  it('does not take over an entry from a live consumer whose handler is slow', async () => {
    fresh();
    const handled: string[] = [];
    const slow = (label: string) => async () => {
      handled.push(label);
      await sleep(3 * IDLE_MS);
    };
    await bus().consume(TOPIC, 'chat', slow('a'));
    await bus().publish(TOPIC, ev(1));
    await waitFor(() => handled.length === 1);
    await bus().consume(TOPIC, 'chat', slow('b'));
    await sleep(4 * IDLE_MS);
    expect(handled).toHaveLength(1);
  });

  it('tries a failed event again later, gives one failing every time up after maxDeliveries, and goes on', async () => {
    fresh();
    const errors: { msg: string; eventId?: string; deliveries?: number }[] = [];
    const logger = {
      error: (fields: { eventId?: string; deliveries?: number }, msg: string) =>
        void errors.push({ msg, ...fields }),
    };
    const tries = new Map<number, number>();
    const handled: number[] = [];
    const poisoned = ev(1);
    await bus().consume<{ n: number }>(
      TOPIC,
      'chat',
      async (event) => {
        const n = event.payload.n;
        tries.set(n, (tries.get(n) ?? 0) + 1);
        if (n === 1) throw new Error('poisoned');
        if (n === 2 && tries.get(2) === 1) throw new Error('not yet');
        handled.push(n);
      },
      { logger: logger as never },
    );
    const publisher = bus();
    await publisher.publish(TOPIC, poisoned);
    for (const n of [2, 3]) await publisher.publish(TOPIC, ev(n));
    // The others are handled meanwhile; 2 on its second delivery, a timeout later.
    await waitFor(() => handled.includes(3));
    await waitFor(() => handled.includes(2), { timeoutMs: 3_000 });
    expect(tries.get(2)).toBe(2);
    // Tried 3 times, a timeout, then two timeouts (doubling) apart: given up, acknowledged.
    await waitFor(() => errors.some((e) => e.msg.includes('given up')), { timeoutMs: 5_000 });
    expect(tries.get(1)).toBe(3);
    expect(errors.filter((e) => e.msg.includes('given up'))).toEqual([
      expect.objectContaining({ eventId: poisoned.id, deliveries: 3 }),
    ]);
    expect(((await redis().xpending(streamKey(), 'chat')) as [number])[0]).toBe(0);
    await sleep(4 * IDLE_MS);
    expect(tries.get(1)).toBe(3);
    await publisher.publish(TOPIC, ev(4));
    await waitFor(() => handled.includes(4));
  });

  it('carries on when its connection drops while it waits for entries', async () => {
    fresh();
    const name = `bus-${randomBytes(3).toString('hex')}`;
    const handled: number[] = [];
    await bus({ name }).consume<{ n: number }>(
      TOPIC,
      'chat',
      async (event) => void handled.push(event.payload.n),
    );
    const publisher = bus();
    await publisher.publish(TOPIC, ev(1));
    await waitFor(() => handled.length === 1);
    const raw = redis();
    const clients = String(await raw.call('CLIENT', 'LIST')).split('\n');
    const id = /id=(\d+)/.exec(clients.find((c) => c.includes(`name=${name}-chat `)) ?? '')?.[1];
    expect(id).toBeDefined();
    await raw.call('CLIENT', 'KILL', 'ID', id!);
    await publisher.publish(TOPIC, ev(2));
    await waitFor(() => handled.length === 2, { timeoutMs: 5_000 });
    expect(handled).toEqual([1, 2]);
  });

  it('stops within a bounded time when Redis has gone away for good', async () => {
    fresh();
    // Redis reached through a proxy the test can take away, as when the launcher gives up on a crashed Redis.
    const target = new URL(redisUrl);
    const sockets = new Set<Socket>();
    const proxy = createServer((client) => {
      const upstream = connect(Number(target.port || 6379), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxied = new URL(redisUrl);
    proxied.hostname = '127.0.0.1';
    proxied.port = String((proxy.address() as AddressInfo).port);
    const consumer = new RedisEventBus(proxied.href, {
      prefix,
      consumers: { idleMs: IDLE_MS, maxDeliveries: 3 },
    });
    const stop = await consumer.consume(TOPIC, 'chat', async () => undefined);
    const closed = new Promise<void>((resolve) => proxy.close(() => resolve()));
    for (const s of sockets) s.destroy();
    await closed;
    await sleep(1_500); // reconnecting by now, with the consumer's next command queued
    const began = Date.now();
    await stop();
    await consumer.close();
    expect(Date.now() - began).toBeLessThan(8_000);
  });

  it('makes its group again when Redis lost the stream', async () => {
    fresh();
    const handled: number[] = [];
    await bus().consume<{ n: number }>(TOPIC, 'chat', async (event) => void handled.push(event.payload.n));
    const publisher = bus();
    await publisher.publish(TOPIC, ev(1));
    await waitFor(() => handled.length === 1);
    await redis().del(streamKey());
    await publisher.publish(TOPIC, ev(2));
    await waitFor(() => handled.length === 2, { timeoutMs: 5_000 });
    expect(handled).toEqual([1, 2]);
  });

  it('drops (acknowledges) an entry in the stream that is not an event envelope', async () => {
    fresh();
    const raw = redis();
    await raw.xadd(streamKey(), '*', 'event', '{"forged":true}');
    await raw.xadd(streamKey(), '*', 'other', 'x');
    await bus().publish(TOPIC, ev(1));
    const handled: number[] = [];
    await bus().consume<{ n: number }>(TOPIC, 'chat', async (event) => void handled.push(event.payload.n));
    await waitFor(() => handled.length === 1);
    expect(handled).toEqual([1]);
    await waitFor(async () => ((await raw.xpending(streamKey(), 'chat')) as [number])[0] === 0);
  });

  it('keeps the stream bounded: MAXLEN on publishing, whatever the consumers do', async () => {
    fresh();
    const publisher = bus({ streamMaxLength: { [TOPIC]: 200 } });
    for (let i = 0; i < 10; i++) await Promise.all(range(100).map((n) => publisher.publish(TOPIC, ev(n))));
    const length = await redis().xlen(streamKey());
    // Trimmed in whole blocks of about 100 entries.
    expect(length).toBeGreaterThanOrEqual(200);
    expect(length).toBeLessThanOrEqual(300);
  });

  it('trims what every declared group acknowledged, and nothing before each of them exists', async () => {
    fresh();
    const publisher = bus();
    const raw = redis();
    const chat: number[] = [];
    const jars: number[] = [];
    await bus().consume<{ n: number }>(TOPIC, 'chat', async (event) => void chat.push(event.payload.n));
    for (const n of range(30)) await publisher.publish(TOPIC, ev(n));
    await waitFor(() => chat.length === 30);
    // honey-jars has not started yet: it will want all of them.
    await sleep(2 * IDLE_MS);
    expect(await raw.xlen(streamKey())).toBe(30);
    await bus().consume<{ n: number }>(TOPIC, 'honey-jars', async (event) => void jars.push(event.payload.n));
    await waitFor(() => jars.length === 30);
    await waitFor(async () => (await raw.xlen(streamKey())) <= 1, { timeoutMs: 3_000 });
    expect(jars).toEqual(range(30));
  });
});
