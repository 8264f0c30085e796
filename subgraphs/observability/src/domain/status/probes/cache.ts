// The Redis check: a fresh connection that tries once and answers PING; it never retries, so a Redis that is
// away is reported down promptly instead of being waited for.
import { Redis } from 'ioredis';
import { closeRedis } from '@sting/kit/redis.ts';
import type { Probe } from '../probe.ts';

export function redisProbe(url: string, name = 'redis'): Probe {
  return {
    name,
    kind: 'CACHE',
    async check(signal) {
      const client = new Redis(url, {
        connectionName: 'sting-status',
        lazyConnect: true,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        connectTimeout: 1_500,
        retryStrategy: () => null,
      });
      // Connection errors surface through connect() / ping(); the event would otherwise be unhandled.
      client.on('error', () => undefined);
      const abort = () => client.disconnect();
      signal.addEventListener('abort', abort, { once: true });
      try {
        await client.connect();
        const reply = await client.ping();
        return { up: reply === 'PONG', detail: `PING answered ${reply}` };
      } finally {
        signal.removeEventListener('abort', abort);
        // Not client.disconnect(): after a failed connection that would keep a 2 s timer running per probe.
        await closeRedis(client);
      }
    },
  };
}
