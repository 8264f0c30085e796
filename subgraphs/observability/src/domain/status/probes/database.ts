// PostgreSQL checks: the database answering `select 1`, and (embedded topology) a subgraph's migrated schema.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Probe } from '../probe.ts';

export function postgresProbe(orm: MikroORM, name = 'postgresql'): Probe {
  return {
    name,
    kind: 'DATABASE',
    async check() {
      await orm.em.getConnection().execute('select 1');
      return { up: true, detail: 'select 1 answered' };
    },
  };
}

/**
 * In the embedded topology every subgraph runs in this process on the same database, so one is up when its
 * schema has been migrated. Only the catalogue is read, never another subgraph's tables.
 */
export function migratedSchemaProbe(orm: MikroORM, subgraph: string, dbSchema: string): Probe {
  return {
    name: subgraph,
    kind: 'SUBGRAPH',
    async check() {
      const rows = await orm.em
        .getConnection()
        .execute<{ applied: string }[]>(
          `select count(*)::int as applied from information_schema.tables where table_schema = ? and table_name = 'mikro_orm_migrations'`,
          [dbSchema],
        );
      const migrated = Number(rows[0]?.applied ?? 0) > 0;
      return {
        up: migrated,
        detail: migrated ? `schema ${dbSchema} migrated` : `schema ${dbSchema} is not migrated`,
      };
    },
  };
}
