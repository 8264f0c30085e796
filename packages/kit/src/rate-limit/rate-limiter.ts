// The one rate-limiter interface: a token bucket per key, refilled continuously, with two implementations
// (in-process for a single process, Redis so every gateway replica spends from the same bucket).

export interface RateLimitRule {
  /** Bucket size: how many requests may arrive at once, and how many the window refills. */
  limit: number;
  windowSeconds: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** Whole requests left in the bucket after this one. */
  remaining: number;
  /** When refused: seconds until one request is allowed again (at least 1); 0 when allowed. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Spends one request from `key`'s bucket, if it has one. */
  consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision>;
  close(): Promise<void>;
}

/** Refill per millisecond, so a bucket drained at time t is full again at t + window. */
export const refillPerMs = (rule: RateLimitRule) => rule.limit / (rule.windowSeconds * 1000);
