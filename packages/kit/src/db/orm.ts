// One MikroORM instance per subgraph, bound to the PostgreSQL schema that subgraph owns: its entities default
// to that schema and its migrations (and their tracking table) run inside it.
import { MikroORM } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import type { Logger } from 'pino';
import { StingPostgreSqlDriver } from './platform.ts';

export interface OrmOptions {
  /** `postgres://user@host:port/db` */
  clientUrl: string;
  /** PostgreSQL schema owned by the subgraph, e.g. `honey_jars`. */
  schema: string;
  /** Entity definitions made with `defineEntity` (no decorators: there is no decorator metadata at runtime). */
  entities: unknown[];
  /** Absolute path of the folder holding the subgraph's `.ts` migration classes. */
  migrationsPath: string;
  logger?: Logger;
  /** Maximum pooled connections (default 10). */
  poolMax?: number;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function assertSchemaName(schema: string): void {
  // The name ends up in `set search_path` and DDL, so only plain lower-case identifiers are allowed.
  if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid PostgreSQL schema name "${schema}"`);
}

/**
 * How long an unused connection stays open: longer than Beeacon's health checks are apart (30 s by default), so a
 * check finds its connections open. With pg's 10 s, every check opened one per probe, all at once, each with a
 * SCRAM handshake, which took the checks from 5-15 ms to 100-250 ms (each probe's reported latency) and spent the
 * CPU of those handshakes every 30 s while the platform was otherwise idle.
 */
export const POOL_IDLE_MS = 60_000;

export async function createOrm(options: OrmOptions): Promise<MikroORM> {
  assertSchemaName(options.schema);
  const log = options.logger;
  return MikroORM.init({
    clientUrl: options.clientUrl,
    driver: StingPostgreSqlDriver,
    schema: options.schema,
    entities: options.entities as never[],
    extensions: [Migrator],
    // Requests must fork (see `requestEntityManager`): the global identity map would leak between viewers.
    allowGlobalContext: false,
    pool: { min: 0, max: options.poolMax ?? 10, idleTimeoutMillis: POOL_IDLE_MS },
    debug: false,
    logger: log ? (message: string) => log.debug({ component: 'orm' }, message) : () => undefined,
    migrations: {
      path: options.migrationsPath,
      glob: '!(*.d).{js,ts}',
      // Migrations are written without schema qualification and run with `search_path` set to the owned
      // schema, so the same files serve `honey_jars` in production and a throwaway schema in a test.
      schema: options.schema,
      tableName: 'mikro_orm_migrations',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      silent: true,
      emit: 'ts',
    },
  });
}

/** A fresh EntityManager for one request: its identity map and unit of work are its own. */
export function requestEntityManager(orm: MikroORM) {
  return orm.em.fork({ clear: true, useContext: false });
}
