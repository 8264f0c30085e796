// The logger's one filter hook: whatever path a secret takes into a record (message, format argument, field,
// child binding, error), the written line has passed through the filter.
import { describe, it, expect } from '@jest/globals';
import pg from 'pg';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, isoTime, lineDestination, requestLogger } from '../src/logging/logger.ts';
import type { RecordFilter } from '../src/logging/record-filter.ts';

const SECRET = 'hunter2-pollen-secret';

/** A filter of the test's own: replaces the secret in every string, keys included. */
const scrub: RecordFilter = (record) => {
  const walk = (v: unknown): unknown =>
    typeof v === 'string'
      ? v.split(SECRET).join('[REDACTED]')
      : Array.isArray(v)
        ? v.map(walk)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [walk(k) as string, walk(x)]))
          : v;
  return walk(record) as Record<string, unknown>;
};

function capture(filter: RecordFilter = scrub, level: 'info' | 'debug' = 'info') {
  const lines: string[] = [];
  const logger = createLogger({
    name: 'kit-test',
    level,
    filter,
    destination: { write: (l: string) => lines.push(l) },
  });
  const records = () => lines.map((l) => JSON.parse(l) as Record<string, any>);
  return { logger, lines, records };
}

describe('createLogger', () => {
  it('writes one structured JSON record per line with name, level, time and msg', () => {
    const { logger, lines, records } = capture();
    logger.info({ jar: 'j1' }, 'jar created');
    logger.debug('not at info');
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('\n')).toBe(true);
    expect(records()[0]).toMatchObject({ name: 'kit-test', level: 'info', jar: 'j1', msg: 'jar created' });
    expect(new Date(records()[0].time).getTime()).not.toBeNaN();
  });

  it('writes to a line destination (a file here) every line, in order, once closed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sting-log-'));
    try {
      const file = join(dir, 'out.log');
      const destination = lineDestination(file);
      const logger = createLogger({ name: 'kit-test', filter: scrub, destination, tap: false });
      for (let i = 0; i < 3000; i++) logger.info({ i, note: `é ${SECRET}` }, 'line');
      await destination.close();
      const written = readFileSync(file, 'utf8').split('\n');
      expect(written.pop()).toBe('');
      expect(written.map((l) => (JSON.parse(l) as { i: number }).i)).toEqual([...Array(3000).keys()]);
      expect(written[0]).toContain('"note":"é [REDACTED]"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("stamps each record with the time of its millisecond, formatted as pino's isoTime", () => {
    const before = Date.now();
    const field = isoTime();
    const at = Date.parse((JSON.parse(`{${field.slice(1)}}`) as { time: string }).time);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(Date.now());
    expect(field).toMatch(/^,"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"$/);
    const later = Date.now() + 2;
    while (Date.now() < later);
    expect(isoTime()).not.toBe(field);
  });

  it('filters a secret in the message and in format arguments', () => {
    const { logger, lines } = capture();
    logger.info(`login with ${SECRET}`);
    logger.warn('token was %s', SECRET);
    expect(lines.join('')).not.toContain(SECRET);
    expect(lines.join('')).toContain('login with [REDACTED]');
    expect(lines.join('')).toContain('token was [REDACTED]');
  });

  it('filters a secret in merged object fields, nested and as a key', () => {
    const { logger, lines, records } = capture();
    logger.info({ user: { note: `remember ${SECRET}` }, tags: [SECRET], [SECRET]: 1 }, 'profile');
    expect(lines.join('')).not.toContain(SECRET);
    expect(records()[0].user.note).toBe('remember [REDACTED]');
    expect(records()[0].tags).toEqual(['[REDACTED]']);
  });

  it('filters a secret in a serialised error: message and stack', () => {
    const { logger, lines, records } = capture();
    logger.error({ err: new Error(`connect failed for ${SECRET}`) }, 'database down');
    logger.error(new Error(`bare ${SECRET}`));
    expect(lines.join('')).not.toContain(SECRET);
    const [first, second] = records();
    expect(first.err.message).toBe('connect failed for [REDACTED]');
    expect(first.err.stack).toContain('connect failed for [REDACTED]');
    expect(first.err.type).toBe('Error');
    expect(second.err.message).toBe('bare [REDACTED]');
  });

  it("leaves out the fields of a PostgreSQL error that quote a row's values, and keeps what went wrong", async () => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    let failure: Error | undefined;
    try {
      await client.query('create temporary table jar (name text unique)');
      await client.query("insert into jar values ('Ada''s private jar')");
      await client
        .query("insert into jar values ('Ada''s private jar')")
        .catch((err: Error) => (failure = err));
    } finally {
      await client.end();
    }
    const { logger, lines, records } = capture();
    logger.error({ err: failure }, 'insert failed');
    logger.error({ err: new Error('wrapped', { cause: failure }) }, 'insert failed');
    expect(lines.join('')).not.toContain('private jar');
    expect(records()[0].err).toMatchObject({ code: '23505', constraint: 'jar_name_key', table: 'jar' });
    expect(records()[0].err.message).toMatch(/duplicate key value violates unique constraint/);
  });

  it('leaves out what libraries hang on their errors: a connection, a request with its headers, a response', async () => {
    // pg-pool's own: an idle connection ended by the server gives an error carrying the whole client.
    const pool = new pg.Pool({
      connectionString: process.env.DATABASE_URL,
      max: 1,
      application_name: 'kit-idle-test',
    });
    (await pool.connect()).release();
    const idleError = new Promise<Error>((resolve) => pool.once('error', resolve));
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'kit-idle-test'",
      );
    } finally {
      await admin.end();
    }
    const terminated = await idleError;
    await pool.end();
    expect(terminated).toHaveProperty('client');
    const requestFailure = Object.assign(new Error('Vault answered 403'), {
      statusCode: 403,
      code: 'E_VAULT',
      options: { uri: 'http://vault:8200/v1/secret/data/x', headers: { 'X-Vault-Token': SECRET } },
      response: {
        statusCode: 403,
        headers: { 'x-request-id': 'r1' },
        body: { errors: ['permission denied'] },
      },
      extensions: { code: 'FORBIDDEN' },
      path: ['honeyJar', 'name'],
      connection: new pg.Client({ connectionString: process.env.DATABASE_URL }),
      retry: () => {},
    });
    const { logger, lines, records } = capture((record) => record);
    logger.error({ err: requestFailure }, 'secret read failed');
    logger.error({ err: Object.assign(new Error('wrapped'), { original: requestFailure }) }, 'read failed');
    logger.error({ err: new AggregateError([requestFailure], 'all failed') }, 'reads failed');
    logger.error({ err: terminated }, 'job queue error');
    expect(lines.join('')).not.toContain(SECRET);
    expect(lines.join('')).not.toContain('connectionParameters');
    const [first, second, aggregate, third] = records();
    expect(third.err).toMatchObject({ code: '57P01', severity: 'FATAL' });
    expect(third.err).not.toHaveProperty('client');
    expect(first.err).toMatchObject({
      type: 'Error',
      message: 'Vault answered 403',
      statusCode: 403,
      code: 'E_VAULT',
      extensions: { code: 'FORBIDDEN' },
      path: ['honeyJar', 'name'],
    });
    for (const field of ['options', 'response', 'connection', 'retry']) {
      expect(first.err).not.toHaveProperty(field);
      expect(second.err.original).not.toHaveProperty(field);
      expect(aggregate.err.aggregateErrors[0]).not.toHaveProperty(field);
    }
    expect(second.err.original).toMatchObject({ code: 'E_VAULT', statusCode: 403 });
    expect(aggregate.err.aggregateErrors[0]).toMatchObject({ code: 'E_VAULT', statusCode: 403 });
  });

  it('carries the request id on child loggers and filters their bindings', () => {
    const { logger, lines, records } = capture();
    const child = requestLogger(logger, 'req-42', { viewer: SECRET });
    child.info('handled');
    child.child({ step: 'retrieve' }).info('nested');
    expect(lines.join('')).not.toContain(SECRET);
    expect(records()[0]).toMatchObject({ requestId: 'req-42', viewer: '[REDACTED]', msg: 'handled' });
    expect(records()[1]).toMatchObject({ requestId: 'req-42', step: 'retrieve' });
  });

  it('drops a record rather than write it unfiltered when the filter fails', () => {
    const { logger, lines, records } = capture(() => {
      throw new Error('broken filter');
    });
    logger.info(`leak ${SECRET}?`);
    expect(lines.join('')).not.toContain(SECRET);
    expect(records()[0].msg).toBe('log record dropped: the record filter failed');
  });

  it('by default redacts the secrets provider’s known values', () => {
    const lines: string[] = [];
    const known = ['s3cr3t-from-the-keystore'];
    const logger = createLogger({
      name: 'kit-test',
      secrets: { knownValues: () => known },
      destination: { write: (l: string) => lines.push(l) },
    });
    logger.info({ dsn: 'postgres://u:s3cr3t-from-the-keystore@db/x' }, 'using s3cr3t-from-the-keystore');
    known.push('resolved-later-secret');
    logger.info('now resolved-later-secret too');
    expect(lines.join('')).not.toContain('s3cr3t-from-the-keystore');
    expect(lines.join('')).not.toContain('resolved-later-secret');
    expect(lines).toHaveLength(2);
  });

  it('by default passes records through the Pollen Filter', () => {
    const lines: string[] = [];
    const logger = createLogger({ name: 'kit-test', destination: { write: (l: string) => lines.push(l) } });
    logger.info({ contact: 'queen.bee@hive.example' }, 'mail to queen.bee@hive.example');
    logger.error(new Error('login failed for queen.bee@hive.example'));
    expect(lines).toHaveLength(2);
    expect(lines.join('')).not.toContain('queen.bee@hive.example');
    expect(JSON.parse(lines[0]).name).toBe('kit-test');
  });

  it('writes records unfiltered only when the Pollen Filter is switched off', () => {
    const lines: string[] = [];
    const logger = createLogger({
      name: 'kit-test',
      pollen: false,
      destination: { write: (l: string) => lines.push(l) },
    });
    logger.info('mail to queen.bee@hive.example');
    expect(lines.join('')).toContain('queen.bee@hive.example');
  });
});
