// Monthly partitions of the audit log (UTC months of `at`). Maintenance makes them ahead of time; an append makes
// its own month's if maintenance has not, so a record is never refused for want of a partition.
import type { EntityManager } from '@mikro-orm/postgresql';
import { listPartitionNames } from '@sting/kit';
import { auditTables } from './tables.ts';

/** The first instant (UTC) of the month `offset` months after the one holding `at`. */
export function monthStart(at: Date, offset = 0): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + offset, 1));
}

/** `audit_event_p202611` for November 2026. */
export function partitionName(month: Date): string {
  return `audit_event_p${month.getUTCFullYear()}${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The month a partition holds, from its name; null for a table that is not one of ours. */
export function partitionMonth(name: string): Date | null {
  const match = /^audit_event_p(\d{4})(\d{2})$/.exec(name);
  return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1)) : null;
}

/**
 * Partitions seen to exist (`schema.name`), per ORM (one database), so an append asks PostgreSQL once per month,
 * not per record. Only months past the retention are ever dropped, never one an append still writes to; the drop
 * forgets them here as well.
 */
const seen = new WeakMap<object, Set<string>>();

function knownPartitions(em: EntityManager): Set<string> {
  let known = seen.get(em.config);
  if (!known) seen.set(em.config, (known = new Set()));
  return known;
}

/** Creates the partition for the month holding `at` unless it exists; answers whether it made one. */
export async function ensurePartition(em: EntityManager, at: Date): Promise<boolean> {
  const { schema, events } = auditTables(em);
  const month = monthStart(at);
  const name = partitionName(month);
  const key = `${schema}.${name}`;
  const known = knownPartitions(em);
  if (known.has(key)) return false;
  const [row] = await em.execute<{ found: string | null }[]>(`select to_regclass(?) as found`, [
    `"${schema}"."${name}"`,
  ]);
  if (row?.found) {
    // One it made is remembered only when next seen: the transaction that made it may still roll back.
    known.add(key);
    return false;
  }
  await em.execute(
    `create table if not exists "${schema}"."${name}" partition of ${events}
       for values from ('${month.toISOString()}') to ('${monthStart(month, 1).toISOString()}')`,
  );
  return true;
}

/** Drops a month's partition (retention), forgetting it. */
export async function dropPartition(em: EntityManager, name: string): Promise<void> {
  const { schema } = auditTables(em);
  await em.execute(`drop table "${schema}"."${name}"`);
  knownPartitions(em).delete(`${schema}.${name}`);
}

/** The audit log's partitions, oldest first, with the month each holds. */
export async function listPartitions(em: EntityManager): Promise<{ name: string; month: Date }[]> {
  const { schema } = auditTables(em);
  const names = await listPartitionNames(em, schema, 'audit_event');
  return names
    .map((name) => ({ name, month: partitionMonth(name) }))
    .filter((p): p is { name: string; month: Date } => p.month !== null)
    .sort((a, b) => a.month.getTime() - b.month.getTime());
}
