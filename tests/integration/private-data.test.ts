// What STING keeps on disk is its account's only, and PostgreSQL's own log holds no value a client sent:
// the run's services (started like `npm start` starts them) leave files 0600 in 0700 folders, as do the
// keystore and the signing keys; a statement logged or failing with a secret parameter leaves no trace of it.
import { describe, it, expect } from '@jest/globals';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import pg from 'pg';
import { LocalKeystore, loadOrCreateSigningKeys } from '@sting/kit';
import { waitFor } from './platform.ts';

/** The run's own services directory (global setup), unless the run was given external servers. */
const runDir = process.env.STING_TEST_SERVICES ? dirname(process.env.STING_TEST_SERVICES) : undefined;
const ownPostgres = runDir !== undefined && statSafe(join(runDir, 'postgres')) !== undefined;
const asRoot = process.getuid?.() === 0;

function statSafe(path: string) {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Every folder and file below `dir`; what the running services remove meanwhile (temporary files) is skipped. */
function* walk(dir: string): Generator<{ path: string; mode: number; dir: boolean }> {
  const self = statSafe(dir);
  if (!self) return;
  yield { path: dir, mode: self.mode & 0o777, dir: true };
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) {
      const stat = statSafe(path);
      if (stat) yield { path, mode: stat.mode & 0o777, dir: false };
    }
  }
}

function expectPrivate(root: string, traversable: string[] = []): number {
  let count = 0;
  for (const { path, mode, dir } of walk(root)) {
    count += 1;
    // As root, PostgreSQL runs as its own account: the folders on the way to its data may be traversed (o+x),
    // never listed or read.
    const allowed = dir ? (traversable.includes(path) ? [0o700, 0o701] : [0o700]) : [0o600];
    expect({
      path: relative(root, path),
      mode: allowed.includes(mode) ? 'private' : mode.toString(8),
    }).toEqual({
      path: relative(root, path),
      mode: 'private',
    });
  }
  return count;
}

describe('data on disk', () => {
  (ownPostgres ? it : it.skip)(
    "keeps the run's PostgreSQL, Redis and Chroma data and logs 0600 in 0700",
    () => {
      const root = runDir as string;
      const counted = expectPrivate(root, asRoot ? [root] : []);
      const names = [...walk(root)].map(({ path }) => relative(root, path));
      // Each service's files were looked at: Redis's append-only file, PostgreSQL's data and log, Chroma's db.
      for (const expected of [
        /^redis\/appendonlydir\//,
        /^postgres\/base\//,
        /^logs\/postgres\.log$/,
        /^chroma\//,
      ])
        expect(names.some((name) => expected.test(name))).toBe(true);
      expect(counted).toBeGreaterThan(50);
    },
  );

  it('creates the keystore, its key and the signing keys 0600 in 0700 folders', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sting-private-'));
    try {
      const keystore = await LocalKeystore.open({
        path: join(dir, 'data', 'keystore.enc'),
        keyFile: join(dir, 'data', 'keystore.key'),
      });
      await keystore.set('redis-password', 'secret');
      await loadOrCreateSigningKeys(join(dir, 'data', 'keys'));
      expect(expectPrivate(join(dir, 'data'))).toBe(6);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  (ownPostgres ? it : it.skip)(
    "leaves no parameter value in PostgreSQL's log, for statements logged or failing",
    async () => {
      const logFile = join(runDir as string, 'logs', 'postgres.log');
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      const secrets = ['tok-4f1d-logged', 'tok-93ab-failing', 'tok-77c2-divide'];
      try {
        // Every statement is logged for this session, with its duration: the parameters would follow it.
        await client.query('SET log_min_duration_statement = 0');
        await client.query('SELECT length($1::text)', [secrets[0]]);
        await expect(client.query('SELECT $1::int', [secrets[1]])).rejects.toThrow();
        await expect(client.query('SELECT 1 / 0 WHERE $1::text IS NOT NULL', [secrets[2]])).rejects.toThrow();
        await client.query("SELECT 'log-marker-end'");
      } finally {
        await client.end();
      }
      await waitFor(() => readFileSync(logFile, 'utf8').includes('log-marker-end'), 5000);
      const log = readFileSync(logFile, 'utf8');
      expect(log).toContain('SELECT length($1::text)'); // the statement was logged, without its value
      for (const secret of secrets) expect(log).not.toContain(secret);
    },
  );
});
