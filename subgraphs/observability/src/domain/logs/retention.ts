// Log store upkeep: today's and tomorrow's partitions exist before they are needed; days entirely older than the
// retention are dropped whole; Pollen Filter minutes older than seven days are deleted.
import type { EntityManager } from '@mikro-orm/postgresql';
import { dayStart, ensureDayPartition, listDayPartitions, logTables } from './tables.ts';

export const DEFAULT_LOG_RETENTION_DAYS = 7;
export const POLLEN_SERIES_DAYS = 7;

export interface LogMaintenance {
  dropped: string[];
  /** Pollen Filter minutes deleted. */
  minutesDeleted: number;
}

export async function maintainLogStore(
  em: EntityManager,
  retentionDays: number,
  now: Date = new Date(),
): Promise<LogMaintenance> {
  await ensureDayPartition(em, now);
  await ensureDayPartition(em, dayStart(now, 1));
  const cutoff = dayStart(now, -retentionDays + 1);
  const { schema, redactions, sanitized } = logTables(em);
  const dropped: string[] = [];
  for (const partition of await listDayPartitions(em)) {
    if (partition.day >= cutoff) continue;
    await em.execute(`drop table if exists "${schema}"."${partition.name}"`);
    dropped.push(partition.day.toISOString().slice(0, 10));
  }
  const seriesCutoff = new Date(now.getTime() - POLLEN_SERIES_DAYS * 86_400_000);
  const deleted = await em.execute<{ n: string }[]>(
    `with gone as (delete from ${redactions} where minute < ? returning 1) select count(*) as n from gone`,
    [seriesCutoff],
  );
  await em.execute(`delete from ${sanitized} where minute < ?`, [seriesCutoff]);
  return { dropped, minutesDeleted: Number(deleted[0]?.n ?? 0) };
}
