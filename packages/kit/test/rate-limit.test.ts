// One contract for every RateLimiter implementation, run against the in-process limiter and a real Redis.
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
  /** Lets `ms` of limiter time pass (a fake clock, or real waiting where the clock is Redis's). */
  advance(ms: number): Promise<void>;
}

function rateLimiterContract(name: string, open: () => Subject) {
  describe(`${name} (RateLimiter contract)`, () => {
    const key = () => `k-${randomBytes(4).toString('hex')}`;

    it('allows the limit, then refuses with a retry-after within the window', async () => {
      const { limiter } = open();
      const k = key();
      const decisions = [];
      for (let i = 0; i < 4; i++) decisions.push(await limiter.consume(k, HOUR));
      expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
      expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0]);
      expect(decisions[0].retryAfterSeconds).toBe(0);
      // One request of three per hour comes back after a third of the hour.
      expect(decisions[3].retryAfterSeconds).toBeGreaterThan(1100);
      expect(decisions[3].retryAfterSeconds).toBeLessThanOrEqual(1200);
      await limiter.close();
    });

    it('keeps separate buckets per key', async () => {
      const { limiter } = open();
      const [a, b] = [key(), key()];
      for (let i = 0; i < 3; i++) await limiter.consume(a, HOUR);
      expect((await limiter.consume(a, HOUR)).allowed).toBe(false);
      expect((await limiter.consume(b, HOUR)).allowed).toBe(true);
      await limiter.close();
    });

    it('never lets concurrent requests overspend a bucket', async () => {
      const { limiter } = open();
      const k = key();
      const rule = { limit: 5, windowSeconds: 3600 };
      const decisions = await Promise.all(Array.from({ length: 25 }, () => limiter.consume(k, rule)));
      expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
      await limiter.close();
    });

    it('refills a drained bucket as time passes', async () => {
      const { limiter, advance } = open();
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

rateLimiterContract('InProcessRateLimiter', () => {
  let now = 1_000_000;
  return {
    limiter: new InProcessRateLimiter({ now: () => now }),
    advance: async (ms) => void (now += ms),
  };
});

const prefix = `test:rate:${randomBytes(4).toString('hex')}:`;
const clients: Redis[] = [];
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit()));
});
const redisLimiter = () => {
  const client = new Redis(redisUrl);
  clients.push(client);
  return new RedisRateLimiter(client, { prefix });
};
rateLimiterContract('RedisRateLimiter', () => ({
  limiter: redisLimiter(),
  advance: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}));

describe('RedisRateLimiter across replicas', () => {
  it('spends one bucket from every limiter on the same Redis', async () => {
    const [one, two] = [redisLimiter(), redisLimiter()];
    const rule = { limit: 4, windowSeconds: 3600 };
    const decisions = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? one : two).consume('shared', rule)),
    );
    expect(decisions.filter((d) => d.allowed)).toHaveLength(4);
  });

  it('lets an idle bucket expire instead of keeping it forever', async () => {
    const client = new Redis(redisUrl);
    clients.push(client);
    await redisLimiter().consume('expiring', { limit: 10, windowSeconds: 60 });
    const ttl = await client.pttl(`${prefix}expiring`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000 / 10 + 1000);
  });
});

describe('InProcessRateLimiter memory', () => {
  it('forgets buckets that have refilled once many keys were seen', async () => {
    let now = 0;
    const limiter = new InProcessRateLimiter({ now: () => now });
    const rule = { limit: 10, windowSeconds: 60 };
    for (let i = 0; i < 10_000; i++) await limiter.consume(`ip-${i}`, rule);
    now += 60_000;
    await limiter.consume('one-more', rule);
    expect(limiter.size()).toBe(1);
  });
});
