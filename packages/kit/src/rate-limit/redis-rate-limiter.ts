// Limits in Redis (rate-limiter-flexible's RateLimiterRedis, atomic per request), so every gateway replica spends
// from the same counters. While Redis is unreachable each replica counts in its own memory (the insurance limiter)
// instead of waiting for Redis or serving without limits, and goes back to Redis once it answers again.
import type { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { closeRedis } from '../redis.ts';
import { consumeOne, LimitersByRule, memoryLimiter } from './flexible.ts';
import type { RateLimitDecision, RateLimiter, RateLimitRule } from './rate-limiter.ts';

export class RedisRateLimiter implements RateLimiter {
  readonly #redis: Redis;
  readonly #ownsConnection: boolean;
  readonly #limiters: LimitersByRule<RateLimiterRedis>;

  /** `prefix` namespaces the counter keys; `ownsConnection` closes the client with the limiter. */
  constructor(redis: Redis, options: { prefix?: string; ownsConnection?: boolean } = {}) {
    this.#redis = redis;
    this.#ownsConnection = options.ownsConnection ?? false;
    const prefix = options.prefix ?? 'sting:rate:';
    this.#limiters = new LimitersByRule(
      (rule, name) =>
        new RateLimiterRedis({
          storeClient: redis,
          keyPrefix: `${prefix}${name}`,
          points: rule.limit,
          duration: rule.windowSeconds,
          // Fail over to memory at once rather than queueing behind a reconnecting client.
          rejectIfRedisNotReady: true,
          insuranceLimiter: memoryLimiter(rule),
        }),
    );
  }

  consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    return consumeOne(this.#limiters.for(rule), key);
  }

  async close(): Promise<void> {
    if (this.#ownsConnection) await closeRedis(this.#redis);
  }
}
