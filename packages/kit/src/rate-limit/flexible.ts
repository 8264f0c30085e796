// What both limiters share: rate-limiter-flexible's fixed windows, one limiter object per rule (the gateway has a
// handful of rules), and its answers translated into the platform's RateLimitDecision.
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimitDecision, RateLimitRule } from './rate-limiter.ts';

export class LimitersByRule<L extends RateLimiterAbstract> {
  readonly #limiters = new Map<string, L>();
  readonly #create: (rule: RateLimitRule, name: string) => L;

  constructor(create: (rule: RateLimitRule, name: string) => L) {
    this.#create = create;
  }

  for(rule: RateLimitRule): L {
    const name = `${rule.limit}/${rule.windowSeconds}`;
    let limiter = this.#limiters.get(name);
    if (!limiter) {
      limiter = this.#create(rule, name);
      this.#limiters.set(name, limiter);
    }
    return limiter;
  }
}

/** A fixed window for `rule` in this process's memory. */
export function memoryLimiter(rule: RateLimitRule): RateLimiterMemory {
  return new RateLimiterMemory({ points: rule.limit, duration: rule.windowSeconds });
}

/** Spends one point; a refusal comes back as a decision, a failure of the store (no insurance left) throws. */
export async function consumeOne(limiter: RateLimiterAbstract, key: string): Promise<RateLimitDecision> {
  try {
    const spent = await limiter.consume(key);
    return { allowed: true, remaining: spent.remainingPoints, retryAfterSeconds: 0 };
  } catch (refused) {
    if (!(refused instanceof RateLimiterRes)) throw refused;
    return {
      allowed: false,
      remaining: 0,
      retryAfterSeconds: Math.max(1, Math.ceil(refused.msBeforeNext / 1000)),
    };
  }
}
