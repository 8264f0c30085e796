// Applies pending migrations: for one ORM (`migrate`) or for every subgraph at once (`migrateAll`, behind
// `npm run migrate`). Each subgraph's migrations run inside its own schema with their own tracking table.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { SubgraphModule } from '../subgraph/module.ts';
import { createOrm } from './orm.ts';

/** Applies every pending migration in one transaction; returns the names applied (empty when up to date). */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.migrator.up();
  return applied.map((m) => m.name);
}

/** Names of migrations present on disk but not yet applied. */
export async function pendingMigrations(orm: MikroORM): Promise<string[]> {
  const pending = await orm.migrator.getPending();
  return pending.map((m) => m.name);
}

export interface MigrateAllOptions {
  logger?: Logger;
  /** Overrides each module's own schema (tests use throwaway names); receives the module, returns a schema. */
  schemaFor?: (module: SubgraphModule) => string;
}

/** Migrates every subgraph in turn; stops at the first failure, naming the subgraph. */
export async function migrateAll(
  modules: SubgraphModule[],
  clientUrl: string,
  options: MigrateAllOptions = {},
): Promise<Record<string, string[]>> {
  const result: Record<string, string[]> = {};
  for (const module of modules) {
    const schema = options.schemaFor?.(module) ?? module.dbSchema;
    const orm = await createOrm({
      clientUrl,
      schema,
      entities: module.entities,
      migrationsPath: module.migrationsPath,
      logger: options.logger,
      poolMax: 2,
    });
    try {
      result[module.name] = await migrate(orm);
      options.logger?.info({ subgraph: module.name, schema, applied: result[module.name] }, 'migrated');
    } catch (err) {
      throw new Error(`migrating ${module.name} (schema ${schema}) failed: ${(err as Error).message}`, {
        cause: err,
      });
    } finally {
      await orm.close(true);
    }
  }
  return result;
}
