// Closing a Redis connection leaves nothing behind that keeps the process running: a stopping service (or a
// command-line tool) exits as soon as its work is done, whether Redis answered or was away.
import { describe, it, expect } from '@jest/globals';
import type { Redis } from 'ioredis';
import { closeRedis, createRedis } from '../src/redis.ts';
import { freePort as stoppedPort } from '../src/runtime/free-port.ts';

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

/** Once the client has ended (its socket closed), the timers still running besides those of `before`. */
async function timersLeft(client: Redis, before: number): Promise<number> {
  const deadline = Date.now() + 1000;
  while (client.status !== 'end' && Date.now() < deadline) await new Promise((r) => setImmediate(r));
  expect(client.status).toBe('end');
  await new Promise((r) => setImmediate(r));
  return timers() - before;
}

describe('closeRedis', () => {
  it('says QUIT to a Redis that answers and leaves no timer running', async () => {
    const before = timers();
    const client = createRedis(process.env.REDIS_URL!, 'sting-close-test');
    expect(await client.ping()).toBe('PONG');
    await closeRedis(client);
    expect(await timersLeft(client, before)).toBe(0);
  });

  it('drops a connection to a Redis that is away at once, and leaves no timer running', async () => {
    const before = timers();
    const client = createRedis(`redis://127.0.0.1:${await stoppedPort()}`, 'sting-close-test', {
      failFast: true,
    });
    await expect(client.ping()).rejects.toThrow();
    const began = performance.now();
    await closeRedis(client);
    expect(performance.now() - began).toBeLessThan(900);
    expect(await timersLeft(client, before)).toBe(0);
  });
});
