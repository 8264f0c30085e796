// Redis from the system redis-server on a scratch directory and port: answers, keeps a key across a restart
// (append-only file), and stops without leaving a process.
import { afterAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { isProcessAlive } from '../src/services/readiness.ts';
import { ping, startRedis } from '../src/services/redis.ts';
import { freePort, scratchDir } from './scratch.ts';

const scratch = scratchDir('redis');
afterAll(() => scratch.remove());

describe('Redis service', () => {
  it('starts, answers PING, keeps data across a restart and stops cleanly', async () => {
    const options = {
      port: await freePort(),
      dataDir: join(scratch.path, 'data'),
      logDir: join(scratch.path, 'logs'),
    };
    const first = await startRedis(options);
    expect(first.reused).toBe(false);
    const client = new Redis(first.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    await client.connect();
    expect(await client.ping()).toBe('PONG');
    await client.set('honey-jar', 'clover');
    client.disconnect();

    const reused = await startRedis(options);
    expect(reused).toMatchObject({ reused: true, url: first.url });

    await first.stop();
    expect(isProcessAlive(first.pid as number)).toBe(false);
    expect(await ping(options.port)).toBe('closed');

    const second = await startRedis(options);
    const again = new Redis(second.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
    await again.connect();
    expect(await again.get('honey-jar')).toBe('clover');
    again.disconnect();
    await second.stop();
    expect(isProcessAlive(second.pid as number)).toBe(false);
  }, 60_000);
});
