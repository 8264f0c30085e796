// A real runtime for a subgraph's tests: its own throwaway PostgreSQL schema migrated from the committed
// migrations, a real event bus (in-process or Redis) and the subgraph's federated schema; dropped on close.
import { randomBytes, randomUUID } from 'node:crypto';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { EventBus } from '../bus/event-bus.ts';
import { InProcessEventBus } from '../bus/in-process-bus.ts';
import { RedisEventBus } from '../bus/redis-bus.ts';
import { migrate } from '../db/migrate.ts';
import { PREPARED_PREFIX } from '../db/prepared.ts';
import { RELAY_SQL_TAG } from '../outbox/relay.ts';
import { createOrm } from '../db/orm.ts';
import { createLogger } from '../logging/logger.ts';
import type { SubgraphConfig } from './config.ts';
import type { Role, SubgraphModule, SubgraphRuntime, Viewer } from './module.ts';
import { buildSubgraph, createSubgraphRuntime, stopSubgraphRuntime } from './runtime.ts';
import { executeAs, type ExecutionOutcome } from './testing.ts';

export interface TestRuntimeOptions {
  /**
   * The configuration slice the subgraph sees (default `{}`). Tests give only the keys they are about; the
   * subgraph's code tolerates absent sections, so a partial slice is accepted here.
   */
  config?: unknown;
  /** The bus to publish on (default in-process); closed with the runtime. */
  bus?: EventBus;
  /** The runtime's logger (default: silent), e.g. one writing to a test's buffer to check what is logged. */
  logger?: Logger;
}

export interface TestRuntime {
  runtime: SubgraphRuntime;
  module: SubgraphModule<any>;
  schema: GraphQLSchema;
  orm: MikroORM;
  /** A fresh entity manager, as a request would get. */
  em(): EntityManager;
  /** Runs an operation as `viewer` through the subgraph's schema (see `executeAs`). */
  run<T = any>(
    viewer: Viewer | null,
    query: string,
    variables?: Record<string, unknown>,
  ): Promise<ExecutionOutcome<T>>;
  close(): Promise<void>;
}

export async function startTestRuntime(
  module: SubgraphModule<any>,
  { config = {}, bus = new InProcessEventBus(), logger }: TestRuntimeOptions = {},
): Promise<TestRuntime> {
  const clientUrl = process.env.DATABASE_URL ?? 'postgres://sting@127.0.0.1:55432/sting_test';
  const dbSchema = `${module.dbSchema}_test_${randomBytes(5).toString('hex')}`;
  const orm = await createOrm({
    clientUrl,
    schema: dbSchema,
    entities: module.entities,
    migrationsPath: module.migrationsPath,
    poolMax: 4,
  });
  await migrate(orm);
  const runtime: SubgraphRuntime = createSubgraphRuntime(module, {
    orm,
    bus,
    logger: logger ?? createLogger({ name: `${module.name}-test`, level: 'silent' }),
    config: config as SubgraphConfig,
  });
  const schema = buildSubgraph(module);
  return {
    runtime,
    module,
    schema,
    orm,
    em: () => orm.em.fork({ clear: true, useContext: false }),
    run: (viewer, query, variables) => executeAs(schema, module, runtime, viewer, query, variables),
    async close() {
      await runtime.outbox.stop();
      await bus.close();
      await orm.schema.execute(`drop schema if exists "${dbSchema}" cascade`);
      await stopSubgraphRuntime(runtime);
    },
  };
}

/** A bus of the given kind; a Redis one gets its own key prefix so parallel test files never hear each other. */
export function createTestBus(kind: 'redis' | 'in-process'): EventBus {
  if (kind === 'in-process') return new InProcessEventBus();
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  return new RedisEventBus(url, { prefix: `test-${randomBytes(4).toString('hex')}:` });
}

/** A signed-in user with a fresh id. */
export function buildTestViewer(role: Role = 'MEMBER'): Extract<Viewer, { kind: 'user' }> {
  return { kind: 'user', id: randomUUID(), role };
}

/**
 * Counts the SQL statements `run` sends, by observing the ORM connection and, for prepared statements
 * (preparedRows), its pool (the real queries still run).
 */
export async function countQueries<T>(
  orm: MikroORM,
  run: () => Promise<T>,
): Promise<{ result: T; queries: string[] }> {
  const connection = orm.em.getConnection();
  const original = connection.execute;
  const queries: string[] = [];
  connection.execute = function (this: typeof connection, ...args: Parameters<typeof original>) {
    // The outbox relay runs on its own schedule; its statements are not the code under test.
    if (!String(args[0]).startsWith(RELAY_SQL_TAG)) queries.push(String(args[0]));
    return original.apply(this, args);
  } as typeof original;
  const pool = await connection.getNativeClient();
  const poolQuery = pool.query;
  pool.query = function (this: typeof pool, ...args: unknown[]) {
    const config = args[0] as { name?: unknown; text?: unknown } | null;
    if (typeof config?.name === 'string' && config.name.startsWith(PREPARED_PREFIX))
      queries.push(String(config.text));
    return (poolQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof poolQuery;
  try {
    return { result: await run(), queries };
  } finally {
    connection.execute = original;
    pool.query = poolQuery;
  }
}
