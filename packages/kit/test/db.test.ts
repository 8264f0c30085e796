// Database layer against a real PostgreSQL: generating a migration from entities, applying it inside a throwaway
// schema, re-running as a no-op, and per-request entity managers that never share an identity map.
import { describe, it, expect, beforeAll, afterAll, jest } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PostgreSqlPlatform, type MikroORM } from '@mikro-orm/postgresql';
import { StingPostgreSqlPlatform, quoteLiteral } from '../src/db/platform.ts';
import { createOrm, POOL_IDLE_MS, requestEntityManager } from '../src/db/orm.ts';
import { configSchema } from '../src/config/schema.ts';
import { numberedPlaceholders, preparedRows } from '../src/db/prepared.ts';
import { migrate, pendingMigrations } from '../src/db/migrate.ts';
import { createMigration } from '../src/db/migration-file.ts';
import { Doc, Jar } from './fixtures/jar-entities.ts';

const clientUrl = process.env.DATABASE_URL ?? 'postgres://sting@127.0.0.1:55432/sting_kit';
const here = dirname(fileURLToPath(import.meta.url));
// Inside the package so the generated file resolves `@mikro-orm/migrations` like a real subgraph's would.
const migrationsPath = join(here, `.migrations-${randomBytes(4).toString('hex')}`);
const schema = `kit_db_${randomBytes(4).toString('hex')}`;
let orm: MikroORM;

beforeAll(async () => {
  await mkdir(migrationsPath, { recursive: true });
});

afterAll(async () => {
  if (orm) {
    await orm.schema.execute(`drop schema if exists "${schema}" cascade`);
    await orm.close(true);
  }
  await rm(migrationsPath, { recursive: true, force: true });
});

describe('migrations', () => {
  it('generates an unqualified migration file from entity definitions', async () => {
    const created = await createMigration({ clientUrl, entities: [Jar, Doc], migrationsPath, name: 'jars' });
    expect(created.path).toMatch(/Migration\d{14}_jars\.ts$/);
    const code = await readFile(created.path, 'utf8');
    expect(code).toContain('create table "jar"');
    expect(code).toContain('create table "doc"');
    expect(code).not.toMatch(/migration_scratch_/);
  });

  it('applies pending migrations into a fresh schema, then is a no-op', async () => {
    orm = await createOrm({ clientUrl, schema, entities: [Jar, Doc], migrationsPath });
    const files = (await readdir(migrationsPath)).filter((f) => f.endsWith('.ts'));
    expect(await pendingMigrations(orm)).toEqual(files.map((f) => f.replace(/\.ts$/, '')));

    const applied = await migrate(orm);
    expect(applied).toHaveLength(1);
    const tables = await orm.em
      .getConnection()
      .execute<{ table_name: string }[]>(
        `select table_name from information_schema.tables where table_schema = ? order by table_name`,
        [schema],
      );
    expect(tables.map((t) => t.table_name)).toEqual(['doc', 'jar', 'mikro_orm_migrations']);

    expect(await migrate(orm)).toEqual([]);
    expect(await pendingMigrations(orm)).toEqual([]);
  });

  it('writes nothing when the entities already match the migrations', async () => {
    const created = await createMigration({ clientUrl, entities: [Jar, Doc], migrationsPath });
    expect(created.up).toEqual([]);
    expect(created.path).toBe('');
    expect((await readdir(migrationsPath)).filter((f) => f.endsWith('.ts'))).toHaveLength(1);
  });
});

describe('the connection pool', () => {
  it('keeps an unused connection open for longer than health checks are apart', () => {
    const checksApart = configSchema.parse({}).observability.alerts.componentDown.intervalSeconds;
    expect(orm.config.get('pool')).toMatchObject({ idleTimeoutMillis: POOL_IDLE_MS });
    expect(POOL_IDLE_MS).toBeGreaterThan(checksApart * 1000);
  });
});

describe('entity managers', () => {
  it('refuses the global entity manager', async () => {
    await expect(orm.em.find(Jar, {})).rejects.toThrow(/global/i);
  });

  it('gives each request its own identity map', async () => {
    const writer = requestEntityManager(orm);
    const jar = writer.create(Jar, { name: 'Field notes' });
    await writer.flush();

    const a = requestEntityManager(orm);
    const b = requestEntityManager(orm);
    const inA = await a.findOneOrFail(Jar, { id: jar.id });
    const inB = await b.findOneOrFail(Jar, { id: jar.id });
    expect(inA).not.toBe(inB);

    inA.name = 'changed only in A';
    expect(inB.name).toBe('Field notes');
    expect(await a.findOneOrFail(Jar, { id: jar.id })).toBe(inA);
    expect(b.getUnitOfWork().getIdentityMap().values()).toContain(inB);
    expect(b.getUnitOfWork().getIdentityMap().values()).not.toContain(inA);

    await b.flush();
    const fresh = await requestEntityManager(orm).findOneOrFail(Jar, { id: jar.id });
    expect(fresh.name).toBe('Field notes');
  });

  it('stores entities in the owned schema', async () => {
    const em = requestEntityManager(orm);
    const jar = await em.findOneOrFail(Jar, { name: 'Field notes' });
    em.create(Doc, { title: 'Hive census', jar });
    await em.flush();
    const rows = await orm.em.getConnection().execute(`select title from "${schema}".doc`);
    expect(rows).toEqual([{ title: 'Hive census' }]);
  });
});

describe('string parameters', () => {
  // MikroORM writes parameters into the statement's text; the platform quotes strings its own (faster) way, which
  // must read back as exactly the string given, and be the literal MikroORM's own quoting writes.
  const strings = [
    '',
    'plain',
    "it's",
    "''",
    'back\\slash',
    "both \\' at once",
    '\\',
    "'\\'",
    '{9f7b7a98-0e32-4bec-a9d0-bb6fbbee4add,d2edc71c-09d2-435a-a23d-b580b52a4287}',
    "E'x'",
    'multi-byte: é 漢字 🐝',
    '$1 ? ?? :name -- /* */ ;',
    'line\nbreak\ttab',
  ];

  it('reads back exactly as given, in every position of a statement', async () => {
    for (const value of strings) {
      const [row] = await orm.em
        .getConnection()
        .execute<{ a: string; b: string }[]>('select ?::text as a, ?::text as b', [
          value,
          `${value}|${value}`,
        ]);
      expect(row).toEqual({ a: value, b: `${value}|${value}` });
    }
  });

  it("writes the literal MikroORM's own PostgreSQL platform writes", () => {
    const own = new PostgreSqlPlatform();
    const platform = orm.em.getPlatform();
    expect(platform).toBeInstanceOf(StingPostgreSqlPlatform);
    for (const value of strings) expect(platform.quoteValue(value)).toBe(own.quoteValue(value));
    expect(platform.quoteValue(['a', "b'c"])).toBe(own.quoteValue(['a', "b'c"]));
    expect(quoteLiteral("a'b\\c")).toBe(" E'a''b\\\\c'");
  });
});

describe('prepared statements', () => {
  it("numbers MikroORM's placeholders, leaving those in literals and identifiers", () => {
    expect(
      numberedPlaceholders(`select ?::text, '?', "a?b", 'it''s ?', ? from t where x = any(?::uuid[])`),
    ).toEqual({
      text: `select $1::text, '?', "a?b", 'it''s ?', $2 from t where x = any($3::uuid[])`,
      count: 3,
    });
  });

  it('reads the same rows as MikroORM, prepared once per connection and run again with other values', async () => {
    const sql = `select ?::text as a, ?::int + 1 as b, cardinality(?::uuid[]) as d`;
    const ids = '{9f7b7a98-0e32-4bec-a9d0-bb6fbbee4add,d2edc71c-09d2-435a-a23d-b580b52a4287}';
    for (let i = 0; i < 8; i++) {
      const params = [`it's ${i} é`, i, ids];
      const [mikro] = await orm.em.getConnection().execute<Record<string, unknown>[]>(sql, params);
      const [prepared] = await preparedRows<Record<string, unknown>>(orm.em, sql, params);
      expect(prepared).toEqual(mikro);
      expect(prepared).toEqual({ a: `it's ${i} é`, b: i + 1, d: 2 });
    }
    // Sent by name, the same name every time, so each connection parses and plans it once.
    const pool = await orm.em.getConnection().getNativeClient();
    const query = jest.spyOn(pool, 'query');
    try {
      await preparedRows(orm.em, sql, ['a', 1, ids]);
      await preparedRows(orm.em, sql, ['b', 2, ids]);
      const [first, second] = query.mock.calls.map(
        ([config]) => config as unknown as { name: string; text: string },
      );
      expect(first.name).toMatch(/^sting_[0-9a-f]{20}$/);
      expect(second.name).toBe(first.name);
      expect(first.text).toBe(numberedPlaceholders(sql).text);
    } finally {
      query.mockRestore();
    }
  });

  it('leaves a question mark in a literal as it is (MikroORM would take it for a placeholder)', async () => {
    expect(await preparedRows(orm.em, `select '?' as c, ?::text as d`, ['x'])).toEqual([{ c: '?', d: 'x' }]);
  });

  it('refuses a statement whose placeholders and values differ in number', async () => {
    await expect(preparedRows(orm.em, 'select ?::int, ?::int', [1])).rejects.toThrow(
      'statement has 2 placeholders for 1 values',
    );
  });

  it('runs inside a transaction on its connection', async () => {
    await orm.em.fork().transactional(async (em) => {
      await em
        .getConnection()
        .execute(
          `create temporary table prepared_probe (v int) on commit drop`,
          [],
          'all',
          em.getTransactionContext(),
        );
      await em
        .getConnection()
        .execute(`insert into prepared_probe values (?)`, [7], 'all', em.getTransactionContext());
      expect(await preparedRows(em, 'select v from prepared_probe where v = ?', [7])).toEqual([{ v: 7 }]);
      // Read as outside one: a question mark in a literal is not a placeholder, and the count is checked.
      expect(await preparedRows(em, `select '?' as c, v from prepared_probe where v = ?`, [7])).toEqual([
        { c: '?', v: 7 },
      ]);
      await expect(preparedRows(em, 'select ?::int, ?::int', [1])).rejects.toThrow(
        'statement has 2 placeholders for 1 values',
      );
    });
  });
});
