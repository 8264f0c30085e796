// `npm start` (embedded topology) with its own Redis, killed under load: the launcher restarts it with its
// password, the gateway answers every request meanwhile (rate limits fall back to memory, no refused connection,
// no 500), /readyz names Redis while it is away, and every acknowledged write is stored and its event relayed
// from the outbox once Redis is back. Crashing again within the window, it is given up on: logged, raised as
// an alert administrators see, and the platform keeps answering without it.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { withDatabase } from '@sting/ops/services/index.ts';
import { freePort } from '@sting/ops/services/readiness.ts';
import { freshDatabase, graphql, waitFor } from './platform.ts';
import { createHoneyJar, launchPlatform, type LaunchedPlatform } from './launcher.ts';
import { startOutageLoad, tally } from './outage-load.ts';

describe('npm start, embedded topology: Redis killed under load', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let launched: LaunchedPlatform;
  let url: string;
  let token: string;
  let dir: string;
  const output = () => launched.output();

  beforeAll(async () => {
    database = await freshDatabase();
    launched = await launchPlatform({
      topology: 'embedded',
      config: {
        redis: { embedded: { port: await freePort(), dataDir: '.data/redis' } },
        // A restart delay long enough for the test to see the outage from outside; the second crash within the
        // window is one too many.
        launcher: { restart: { backoffMs: 1500, maxCrashes: 1, windowSeconds: 300 } },
      },
      env: { DATABASE_URL: database.url, REDIS_URL: '' /* the launcher starts its own */ },
    });
    ({ url, token, dir } = launched);
  }, 180_000);

  afterAll(async () => {
    await launched?.stop();
    await database?.drop();
  }, 60_000);

  it('keeps answering, says Redis is down, restarts it and loses no write or event', async () => {
    const load = startOutageLoad({
      url,
      token,
      query: '{ me { email } honeyJars { nodes { id } } }',
      write: (attempt) => createHoneyJar(url, token, `redis outage ${attempt}`),
    });
    try {
      await waitFor(() => load.samples.length > 10, 5000);
      const pid = Number(readFileSync(join(dir, '.data', 'redis', 'redis.pid'), 'utf8'));
      const killedAt = Date.now();
      process.kill(pid, 'SIGKILL');
      await waitFor(async () => {
        const ready = await fetch(new URL('/readyz', url));
        const body = (await ready.json()) as { failing?: string[] };
        return ready.status === 503 && (body.failing ?? []).includes('redis');
      }, 5000);
      await waitFor(() => /Redis restarted/.test(output()), 30_000);
      const backAt = Date.now();
      await waitFor(async () => (await fetch(new URL('/readyz', url))).status === 200, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await load.stop();

      const all = tally(load.samples);
      const failed = load.samples.find((s) => s.outcome !== 'full');
      expect({ ...all, example: failed?.detail }).toMatchObject({
        refused: 0,
        'server-error': 0,
        error: 0,
        partial: 0,
        example: undefined,
      });
      expect(tally(load.samples, killedAt, backAt).full).toBeGreaterThan(0); // answered during the outage
      expect(output()).toMatch(/Redis exited unexpectedly \(SIGKILL\); restarting in 1500ms/);

      // Every acknowledged write is stored, and its event left the outbox for the bus.
      expect(load.written.length).toBeGreaterThan(0);
      // The launcher uses the `sting` database of the server DATABASE_URL names.
      const client = new pg.Client({ connectionString: withDatabase(database.url, 'sting') });
      await client.connect();
      try {
        const stored = await client.query('select id from honey_jars.honey_jar where id = any($1)', [
          load.written,
        ]);
        expect(stored.rowCount).toBe(load.written.length);
        await waitFor(async () => {
          const pending = await client.query(
            "select count(*)::int as n from honey_jars.outbox_event where sent_at is null and envelope->>'type' = 'honeyjar.created'",
          );
          return pending.rows[0].n === 0;
        }, 10_000);
        const relayed = await client.query(
          "select count(*)::int as n from honey_jars.outbox_event where envelope->'payload'->>'honeyJarId' = any($1)",
          [load.written],
        );
        expect(relayed.rows[0].n).toBe(load.written.length);
      } finally {
        await client.end();
      }
    } finally {
      await load.stop();
    }
  }, 120_000);

  it('gives up on a Redis that keeps crashing: logged, raised as an alert, and the platform keeps answering', async () => {
    const pid = Number(readFileSync(join(dir, '.data', 'redis', 'redis.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    await waitFor(() => /alert for Redis: recorded/.test(output()), 15_000);
    expect(output()).toMatch(/gave up on Redis: Redis crashed more than 1 times within 300s/);
    const alerts = await graphql(
      url,
      '{ alerts(first: 10) { nodes { title severity source } } }',
      undefined,
      token,
    );
    expect(alerts.errors).toBeUndefined();
    expect(alerts.data.alerts.nodes).toContainEqual({
      title: 'Redis is down',
      severity: 'CRITICAL',
      source: 'launcher',
    });
    const me = await graphql(url, '{ me { email } honeyJars { nodes { id } } }', undefined, token);
    expect(me.errors).toBeUndefined();
    const ready = await fetch(new URL('/readyz', url));
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { failing: string[] }).failing).toContain('redis');
  }, 60_000);
});
