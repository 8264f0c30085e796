// The partitions of a partitioned table, by name: what retention jobs list before dropping old ones.
import type { EntityManager } from '@mikro-orm/postgresql';

/** The names of `schema.parent`'s partitions (direct children), in no particular order. */
export async function listPartitionNames(
  em: EntityManager,
  schema: string,
  parent: string,
): Promise<string[]> {
  const rows = await em.execute<{ name: string }[]>(
    `select c.relname as name from pg_inherits i
       join pg_class c on c.oid = i.inhrelid
       join pg_class p on p.oid = i.inhparent
       join pg_namespace n on n.oid = p.relnamespace
     where n.nspname = ? and p.relname = ?`,
    [schema, parent],
  );
  return rows.map((r) => r.name);
}
