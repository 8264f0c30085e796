// The one way to open a Redis connection: named (visible in CLIENT LIST), reconnecting with capped backoff, and
// never crashing the process with an unhandled `error` event while Redis is away.
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface RedisOptions {
  logger?: Logger;
  /** Commands queued while disconnected fail after this many reconnect attempts (default 3). */
  maxRetriesPerRequest?: number | null;
  /**
   * Commands sent while disconnected fail at once instead of waiting for a reconnection: for callers with a
   * fallback of their own (rate limits answer from memory, readiness reports Redis down) that must not stall.
   */
  failFast?: boolean;
}

/** Longest wait between reconnection attempts: Redis is local, and a restarted one should be found quickly. */
const MAX_RECONNECT_DELAY_MS = 1_000;

export function createRedis(url: string, name = 'sting', options: RedisOptions = {}): Redis {
  const client = new Redis(url, {
    connectionName: name,
    lazyConnect: false,
    enableReadyCheck: true,
    maxRetriesPerRequest: options.maxRetriesPerRequest === undefined ? 3 : options.maxRetriesPerRequest,
    enableOfflineQueue: !options.failFast,
    retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 6), MAX_RECONNECT_DELAY_MS),
  });
  // Errors are reported once per outage rather than once per reconnect attempt.
  let reported = false;
  client.on('error', (err: Error) => {
    if (reported) return;
    reported = true;
    options.logger?.warn({ err, redis: name }, 'redis connection error; reconnecting');
  });
  client.on('ready', () => {
    if (reported) options.logger?.info({ redis: name }, 'redis connection restored');
    reported = false;
  });
  return client;
}

/**
 * Closes a connection: a polite QUIT when Redis answers within `waitMs`, then the socket is dropped either way. A
 * QUIT sent while Redis is away waits in the offline queue for a reconnection that may never come, and a stop
 * must never hang on it. A connection that already ended is left as it is: asked to disconnect, ioredis arms a 2 s
 * timer that destroys a socket unless it closes, and a closed socket never closes again, so the timer would hold
 * the process for 2 s.
 */
export async function closeRedis(client: Redis, waitMs = 1_000): Promise<void> {
  // Read afresh at each step: QUIT changes it.
  const status = (): string => client.status;
  if (status() === 'end') return;
  if (status() === 'ready') {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      client.quit().catch(() => undefined),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, waitMs);
      }),
    ]);
    clearTimeout(timer);
  }
  if (status() !== 'end') client.disconnect();
}
