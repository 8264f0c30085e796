// Token buckets in Redis, spent by one Lua script so concurrent requests on any replica cannot both take the
// last token. The script reads Redis's own clock, so replicas with drifting clocks still agree.
import type { Redis } from 'ioredis';
import type { RateLimitDecision, RateLimiter, RateLimitRule } from './rate-limiter.ts';

// KEYS[1] bucket hash; ARGV[1] limit, ARGV[2] window in ms. Returns {allowed, remaining, retry-after ms}.
const CONSUME_SCRIPT = `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local rate = limit / window
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = limit
else
  tokens = math.min(limit, tokens + math.max(0, now - at) * rate)
end
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
-- Once full again the bucket is indistinguishable from a missing one, so it may expire.
redis.call('PEXPIRE', KEYS[1], math.ceil((limit - tokens) / rate) + 1000)
local retry = 0
if allowed == 0 then retry = math.ceil((1 - tokens) / rate) end
return {allowed, math.floor(tokens), retry}
`;

type WithConsume = Redis & {
  stingRateLimitConsume(key: string, limit: number, windowMs: number): Promise<[number, number, number]>;
};

export class RedisRateLimiter implements RateLimiter {
  readonly #redis: WithConsume;
  readonly #prefix: string;
  readonly #ownsConnection: boolean;

  /** `prefix` namespaces the bucket keys; `ownsConnection` closes the client with the limiter. */
  constructor(redis: Redis, options: { prefix?: string; ownsConnection?: boolean } = {}) {
    redis.defineCommand('stingRateLimitConsume', { numberOfKeys: 1, lua: CONSUME_SCRIPT });
    this.#redis = redis as WithConsume;
    this.#prefix = options.prefix ?? 'sting:rate:';
    this.#ownsConnection = options.ownsConnection ?? false;
  }

  async consume(key: string, rule: RateLimitRule): Promise<RateLimitDecision> {
    const [allowed, remaining, retryMs] = await this.#redis.stingRateLimitConsume(
      this.#prefix + key,
      rule.limit,
      rule.windowSeconds * 1000,
    );
    return {
      allowed: allowed === 1,
      remaining,
      retryAfterSeconds: allowed === 1 ? 0 : Math.max(1, Math.ceil(retryMs / 1000)),
    };
  }

  async close(): Promise<void> {
    if (this.#ownsConnection) await this.#redis.quit().catch(() => undefined);
  }
}
