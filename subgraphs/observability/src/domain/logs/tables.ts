// Schema-qualified names of the log tables and day partitions: raw SQL runs on connections whose search_path is
// not the subgraph's schema (a test's throwaway schema, or `observability`), so every statement names it.
import type { EntityManager } from '@mikro-orm/postgresql';
import { listPartitionNames } from '@sting/kit';

export function logTables(em: EntityManager) {
  const schema = String(em.config.get('schema'));
  return {
    schema,
    records: `"${schema}"."log_record"`,
    redactions: `"${schema}"."pollen_redaction_minute"`,
    sanitized: `"${schema}"."log_sanitized_minute"`,
  };
}

const DAY_MS = 86_400_000;

/** Midnight UTC of the day `offset` days after the one holding `at`. */
export function dayStart(at: Date | number, offset = 0): Date {
  const t = typeof at === 'number' ? at : at.getTime();
  return new Date(Math.floor(t / DAY_MS) * DAY_MS + offset * DAY_MS);
}

/** `log_record_p20261130` for 30 November 2026. */
export function partitionName(day: Date): string {
  return `log_record_p${day.toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** The day a partition holds, from its name; null for a table that is not one of ours. */
export function partitionDay(name: string): Date | null {
  const match = /^log_record_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
}

/** Creates the day partition holding `at` unless it exists. */
export async function ensureDayPartition(em: EntityManager, at: Date | number): Promise<void> {
  const { schema, records } = logTables(em);
  const day = dayStart(at);
  // Two replicas making the same day at once (CREATE ... IF NOT EXISTS alone fails for the second): the lock
  // makes the second find it made.
  await em.transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtext(?))`, [
      `sting.logs:${schema}.${partitionName(day)}`,
    ]);
    await tx.execute(
      `create table if not exists "${schema}"."${partitionName(day)}" partition of ${records}
         for values from ('${day.toISOString()}') to ('${dayStart(day, 1).toISOString()}')`,
    );
  });
}

/** The store's day partitions, oldest first. */
export async function listDayPartitions(em: EntityManager): Promise<{ name: string; day: Date }[]> {
  const names = await listPartitionNames(em, logTables(em).schema, 'log_record');
  return names
    .map((name) => ({ name, day: partitionDay(name) }))
    .filter((p): p is { name: string; day: Date } => p.day !== null)
    .sort((a, b) => a.day.getTime() - b.day.getTime());
}
