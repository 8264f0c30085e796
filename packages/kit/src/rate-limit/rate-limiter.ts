// The one rate-limiter interface: `limit` requests per key in each fixed window, with two implementations on
// rate-limiter-flexible (in-process for a single process, Redis so every gateway replica spends from the same count).

export interface RateLimitRule {
  /** How many requests a key may make in one window. */
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
