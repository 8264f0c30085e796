// Redis from the system redis-server on a scratch directory and port: answers, keeps a key across a restart
// (append-only file), and stops without leaving a process.
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { exchange } from '../src/services/readiness.ts';
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

  it('requires its password: a forged PUBLISH without it fails; files are 0600 in 0700 folders', async () => {
    const password = 'p4ssw0rd-for-this-test';
    const options = {
      port: await freePort(),
      dataDir: join(scratch.path, 'private'),
      logDir: join(scratch.path, 'private-logs'),
      password,
    };
    const redis = await startRedis(options);
    try {
      expect(redis.url).toBe(`redis://:${password}@127.0.0.1:${options.port}/0`);
      // What any local account could send: a raw PUBLISH of a chat message, with no or a guessed password.
      const forged = 'PUBLISH chat:messages "{\\"text\\":\\"forged\\"}"\r\n';
      expect(await exchange(options.port, forged)).toMatch(/^-NOAUTH/);
      expect(await exchange(options.port, `AUTH guessed\r\n${forged}`)).toMatch(/^-WRONGPASS/);
      const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0 });
      await client.connect();
      expect(await client.publish('chat:messages', 'signed')).toBe(0);
      await client.set('honey-jar', 'clover');
      await client.bgrewriteaof();
      // The rewrite's temporary files come and go while it runs: the folders are read once it is over.
      for (let waited = 0; ; waited += 50) {
        const persistence = await client.info('persistence');
        if (/aof_rewrite_in_progress:0/.test(persistence) && /aof_rewrite_scheduled:0/.test(persistence))
          break;
        if (waited > 20_000) throw new Error('the AOF rewrite did not finish within 20 s');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      client.disconnect();
      // The password is not on the command line, which every local account can read.
      expect(
        execFileSync('ps', ['-o', 'args=', '-p', String(redis.pid)], { encoding: 'utf8' }),
      ).not.toContain(password);
      const modes = [...walk(options.dataDir), ...walk(options.logDir)];
      expect(modes.some(([path]) => path.includes('appendonly'))).toBe(true);
      for (const [path, mode, isDir] of modes)
        expect({ path, mode }).toEqual({ path, mode: isDir ? 0o700 : 0o600 });
    } finally {
      await redis.stop();
    }
  }, 60_000);
});

function* walk(dir: string): Generator<[string, number, boolean]> {
  yield [dir, statSync(dir).mode & 0o777, true];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield [path, statSync(path).mode & 0o777, false];
  }
}
