// One contract for every RateLimiter implementation, run against the in-process limiter and a real Redis (both on
// rate-limiter-flexible), and the Redis limiter's insurance while Redis is unreachable.
import { describe, it, expect, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RateLimiter } from '../src/rate-limit/rate-limiter.ts';
import { InProcessRateLimiter } from '../src/rate-limit/in-process-rate-limiter.ts';
import { RedisRateLimiter } from '../src/rate-limit/redis-rate-limiter.ts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const HOUR = { limit: 3, windowSeconds: 3600 };

interface Subject {
  limiter: RateLimiter;
  /** Lets `ms` of limiter time pass. */
  advance(ms: number): Promise<void>;
}

function rateLimiterContract(name: string, open: () => Subject | Promise<Subject>) {
  describe(`${name} (RateLimiter contract)`, () => {
    const key = () => `k-${randomBytes(4).toString('hex')}`;

    it('allows the limit, then refuses with a retry-after within the window', async () => {
      const { limiter } = await open();
      const k = key();
      const decisions = [];
      for (let i = 0; i < 4; i++) decisions.push(await limiter.consume(k, HOUR));
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
      expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0]);
      expect(decisions[0].retryAfterSeconds).toBe(0);
      // The window of an hour has just begun: the next request is allowed when it ends.
      expect(decisions[3].retryAfterSeconds).toBeGreaterThan(3500);
      expect(decisions[3].retryAfterSeconds).toBeLessThanOrEqual(3600);
      await limiter.close();
    });

    it('keeps separate buckets per key', async () => {
      const { limiter } = await open();
      const [a, b] = [key(), key()];
      for (let i = 0; i < 3; i++) await limiter.consume(a, HOUR);
      expect((await limiter.consume(a, HOUR)).allowed).toBe(false);
      expect((await limiter.consume(b, HOUR)).allowed).toBe(true);
      await limiter.close();
    });

    it('never lets concurrent requests overspend a bucket', async () => {
      const { limiter } = await open();
      const k = key();
      const rule = { limit: 5, windowSeconds: 3600 };
      const decisions = await Promise.all(Array.from({ length: 25 }, () => limiter.consume(k, rule)));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
      await limiter.close();
    });

    it('allows requests again once the window has passed', async () => {
      const { limiter, advance } = await open();
      const k = key();
      const rule = { limit: 2, windowSeconds: 1 };
      await limiter.consume(k, rule);
      await limiter.consume(k, rule);
      await advance(1200);
      expect((await limiter.consume(k, rule)).allowed).toBe(true);
      await limiter.close();
    });
  });
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

rateLimiterContract('InProcessRateLimiter', () => ({ limiter: new InProcessRateLimiter(), advance: wait }));

const prefix = `test:rate:${randomBytes(4).toString('hex')}:`;
const clients: Redis[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit()));
});
/** On a connected client: until a client is ready, the limiter counts in memory (its insurance). */
const redisLimiter = async () => {
  const client = new Redis(redisUrl);
  clients.push(client);
  await client.ping();
  return new RedisRateLimiter(client, { prefix });
};
rateLimiterContract('RedisRateLimiter', async () => ({ limiter: await redisLimiter(), advance: wait }));

describe('RedisRateLimiter across replicas', () => {
  it('spends one bucket from every limiter on the same Redis', async () => {
    const [one, two] = [await redisLimiter(), await redisLimiter()];
    const rule = { limit: 4, windowSeconds: 3600 };
    const decisions = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? one : two).consume('shared', rule)),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(4);
  });

  it('lets an idle bucket expire instead of keeping it forever', async () => {
    const client = new Redis(redisUrl);
    clients.push(client);
    await (await redisLimiter()).consume('expiring', { limit: 10, windowSeconds: 60 });
    const [key] = await client.keys(`${prefix}*expiring`);
    expect(key).toBeDefined();
    const ttl = await client.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('keeps limiting from memory while Redis is unreachable, without waiting for it', async () => {
    // A client whose server is gone: nothing listens on this port.
    const away = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
    });
    const limiter = new RedisRateLimiter(away, { prefix });
    const rule = { limit: 2, windowSeconds: 60 };
    const decisions = [];
    for (let i = 0; i < 3; i++) decisions.push(await limiter.consume('insured', rule));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, false]);
    expect(decisions[2].retryAfterSeconds).toBeGreaterThan(0);
    away.disconnect();
  });
});
