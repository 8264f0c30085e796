// Token buckets in this process's memory: the embedded topology's limiter when no Redis is configured.
import { refillPerMs, type RateLimitDecision, type RateLimiter, type RateLimitRule } from './rate-limiter.ts';

interface Bucket {
  tokens: number;
  at: number;
  /** After this instant the bucket is full again, so forgetting it changes nothing. */
  fullAt: number;
}

/** Idle buckets are swept once the map grows past this, so a stream of one-off client addresses cannot grow it forever. */
const SWEEP_THRESHOLD = 10_000;

export class InProcessRateLimiter implements RateLimiter {
  readonly #buckets = new Map<string, Bucket>();
  readonly #now: () => number;

  /** `now` (milliseconds) lets tests move time instead of waiting for it. */
  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  async consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    const now = this.#now();
    const rate = refillPerMs(rule);
    const previous = this.#buckets.get(key);
    const elapsed = previous ? Math.max(0, now - previous.at) : 0;
    let tokens = previous ? Math.min(rule.limit, previous.tokens + elapsed * rate) : rule.limit;
    const allowed = tokens >= 1;
    if (allowed) tokens -= 1;
    if (!previous && this.#buckets.size >= SWEEP_THRESHOLD) this.#sweep(now);
    this.#buckets.set(key, { tokens, at: now, fullAt: now + (rule.limit - tokens) / rate });
    return {
      allowed,
      remaining: Math.floor(tokens),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / rate / 1000)),
    };
  }

  #sweep(now: number) {
    for (const [key, bucket] of this.#buckets) if (bucket.fullAt <= now) this.#buckets.delete(key);
  }

  /** Buckets currently remembered (memory checks). */
  size(): number {
    return this.#buckets.size;
  }

  async close(): Promise<void> {
    this.#buckets.clear();
  }
}
