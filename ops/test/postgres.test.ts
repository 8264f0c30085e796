// Embedded PostgreSQL on a scratch data directory and its own port: data survives a stop and a start, a
// second start while it runs reuses it, and a stop leaves no process behind.
import { afterAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import pg from 'pg';
import { isProcessAlive } from '../src/services/readiness.ts';
import { embeddedSharedBuffersMB, startPostgres } from '../src/services/postgres.ts';
import { keepRunning } from '../src/services/keep-running.ts';
import { freePort, scratchDir } from './scratch.ts';

const scratch = scratchDir('postgres');
afterAll(() => scratch.remove());

async function query(url: string, sql: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql, values);
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL', () => {
  it('takes a quarter of the memory for shared buffers unless told, from 128 MB up to 1 GB', () => {
    const GB = 1024 ** 3;
    expect(embeddedSharedBuffersMB(2 * GB)).toBe(512);
    expect(embeddedSharedBuffersMB(GB / 4)).toBe(128);
    expect(embeddedSharedBuffersMB(24 * GB)).toBe(1024);
    expect(embeddedSharedBuffersMB()).toBeGreaterThanOrEqual(128);
    expect(embeddedSharedBuffersMB()).toBeLessThanOrEqual(1024);
  });

  it('keeps its rows across stop and start on the same data directory', async () => {
    const options = {
      port: await freePort(),
      dataDir: join(scratch.path, 'cluster'),
      database: 'reuse_check',
      logDir: join(scratch.path, 'logs'),
      sharedBuffersMB: 160,
    };
    const first = await startPostgres(options);
    expect(first).toMatchObject({ reused: false, initialised: true });
    expect(first.url).toContain(`:${options.port}/reuse_check`);
    expect((await query(first.url, 'SHOW shared_buffers')).rows).toEqual([{ shared_buffers: '160MB' }]);
    await query(first.url, 'CREATE TABLE jar (name text PRIMARY KEY)');
    await query(first.url, 'INSERT INTO jar VALUES ($1)', ['clover']);
    await first.stop();
    expect(isProcessAlive(first.pid as number)).toBe(false);
    await expect(query(first.url, 'SELECT 1')).rejects.toThrow();

    const second = await startPostgres(options);
    expect(second).toMatchObject({ reused: false, initialised: false, url: first.url });
    const rows = await query(second.url, 'SELECT name FROM jar');
    expect(rows.rows).toEqual([{ name: 'clover' }]);

    const again = await startPostgres(options);
    expect(again).toMatchObject({ reused: true, url: second.url, pid: second.pid });
    await again.stop();
    expect(isProcessAlive(second.pid as number)).toBe(true);

    await second.stop();
    expect(isProcessAlive(second.pid as number)).toBe(false);
  }, 120_000);

  it('is started again after a SIGKILL, with its committed rows, when kept running', async () => {
    const options = {
      port: await freePort(),
      dataDir: join(scratch.path, 'crashing'),
      database: 'crash_check',
      logDir: join(scratch.path, 'logs'),
    };
    const first = await startPostgres(options);
    await query(first.url, 'CREATE TABLE jar (name text PRIMARY KEY)');
    await query(first.url, 'INSERT INTO jar VALUES ($1)', ['clover']);
    const policy = { maxCrashes: 3, windowSeconds: 60, backoffMs: 100, maxBackoffMs: 1000 };
    const kept = keepRunning('PostgreSQL', first, () => startPostgres(options), policy);
    try {
      // Its backends die with it (the launcher kills the group), and the new postmaster recovers the data.
      process.kill(first.pid as number, 'SIGKILL');
      const deadline = Date.now() + 30_000;
      while (kept.current() === first && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(kept.current()).not.toBe(first);
      expect(kept.current().url).toBe(first.url);
      expect((await query(first.url, 'SELECT name FROM jar')).rows).toEqual([{ name: 'clover' }]);
    } finally {
      await kept.stop();
    }
    expect(isProcessAlive(kept.current().pid as number)).toBe(false);
  }, 60_000);
});
