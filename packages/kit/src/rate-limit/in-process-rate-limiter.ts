// Limits in this process's memory (rate-limiter-flexible's RateLimiterMemory): the embedded topology's limiter when
// no Redis is configured. Counters expire with their window, so one-off client addresses do not accumulate.
// rate-limiter-flexible is loaded by the first request counted, so a gateway with rate limiting off never loads it.
import type * as Flexible from './flexible.ts';
import type { RateLimitDecision, RateLimiter, RateLimitRule } from './rate-limiter.ts';

type Consume = RateLimiter['consume'];

let flexible: Promise<typeof Flexible> | undefined;

export class InProcessRateLimiter implements RateLimiter {
  #consume: Consume | undefined;

  consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    return this.#consume ? this.#consume(key, rule) : this.#loadThenConsume(key, rule);
  }

  async close(): Promise<void> {}

  async #loadThenConsume(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    const { LimitersByRule, consumeOne, memoryLimiter } = await (flexible ??= import('./flexible.ts'));
    // Requests that arrived while it loaded all count against the first set of limiters made.
    if (!this.#consume) {
      const limiters = new LimitersByRule(memoryLimiter);
      this.#consume = (k, r) => consumeOne(limiters.for(r), k);
    }
    return this.#consume(key, rule);
  }
}
