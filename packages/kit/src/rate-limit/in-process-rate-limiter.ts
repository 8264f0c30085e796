// Limits in this process's memory (rate-limiter-flexible's RateLimiterMemory): the embedded topology's limiter when
// no Redis is configured. Counters expire with their window, so one-off client addresses do not accumulate.
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { consumeOne, LimitersByRule } from './flexible.ts';
import type { RateLimitDecision, RateLimiter, RateLimitRule } from './rate-limiter.ts';

export class InProcessRateLimiter implements RateLimiter {
  readonly #limiters = new LimitersByRule(
    (rule) => new RateLimiterMemory({ points: rule.limit, duration: rule.windowSeconds }),
  );

  consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    return consumeOne(this.#limiters.for(rule), key);
  }

  async close(): Promise<void> {}
}
