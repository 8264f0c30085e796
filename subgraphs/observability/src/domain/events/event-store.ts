// The events table: monthly partitions made as events arrive, idempotent inserts (a redelivered event or one heard
// by several replicas is stored once), retention by dropping whole months, the daily summary refreshed
// concurrently, and the counts the alert rules and the health report read.
import type { EntityManager } from '@mikro-orm/postgresql';
import { listPartitionNames } from '@sting/kit';
import type { EventRow } from './projection.ts';

export const schemaOf = (em: EntityManager) =>
  `"${String(em.config.get('schema') ?? 'observability').replace(/"/g, '""')}"`;

/** The first instant (UTC) of the month `offset` months after the one holding `at`. */
export function monthStart(at: Date, offset = 0): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + offset, 1));
}

/** `events_p202611` for November 2026. */
export function partitionName(month: Date): string {
  return `events_p${month.getUTCFullYear()}${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

export class EventStore {
  /** Months whose partition is known to exist (a process makes each at most once). */
  readonly #months = new Set<number>();

  async ensurePartition(em: EntityManager, at: Date): Promise<void> {
    const month = monthStart(at);
    if (this.#months.has(month.getTime())) return;
    const schema = schemaOf(em);
    // Two replicas making the same month at once: the lock makes the second find it made.
    await em.transactional(async (tx) => {
      await tx.execute(`select pg_advisory_xact_lock(hashtext(?))`, [`sting.events:${partitionName(month)}`]);
      await tx.execute(
        `create table if not exists ${schema}."${partitionName(month)}" partition of ${schema}."events"
           for values from ('${month.toISOString()}') to ('${monthStart(month, 1).toISOString()}')`,
      );
    });
    this.#months.add(month.getTime());
  }

  async insert(em: EntityManager, row: EventRow): Promise<boolean> {
    return (await this.insertMany(em, [row])).has(row.id);
  }

  /** Inserts rows in one statement; answers the ids stored now (a redelivered or already stored one is not). */
  async insertMany(em: EntityManager, rows: readonly EventRow[]): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const months = new Map(rows.map((row) => [monthStart(row.occurredAt).getTime(), row.occurredAt]));
    for (const at of months.values()) await this.ensurePartition(em, at);
    const inserted = await em.execute<{ id: string }[]>(
      `insert into ${schemaOf(em)}."events"
         ("id", "type", "kind", "source", "occurred_at", "actor_id", "subject", "outcome", "amount", "details")
       values ${rows.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
       on conflict do nothing returning "id"`,
      rows.flatMap((row) => [
        row.id,
        row.type,
        row.kind,
        row.source,
        row.occurredAt,
        row.actorId,
        row.subject,
        row.outcome,
        row.amount,
        JSON.stringify(row.details),
      ]),
    );
    return new Set(inserted.map((row) => row.id));
  }

  /** Drops every month that ended before `retentionDays` ago; answers the partitions dropped. */
  async dropExpired(em: EntityManager, retentionDays: number, now = new Date()): Promise<string[]> {
    const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
    const schema = schemaOf(em);
    const names = await listPartitionNames(em, schema.slice(1, -1).replace(/""/g, '"'), 'events');
    const dropped: string[] = [];
    for (const name of names) {
      const match = /^events_p(\d{4})(\d{2})$/.exec(name);
      if (!match) continue;
      const month = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
      if (monthStart(month, 1) > cutoff) continue;
      await em.execute(`drop table if exists ${schema}."${name}"`);
      this.#months.delete(month.getTime());
      dropped.push(name);
    }
    return dropped;
  }

  /** Rebuilds the daily summary without blocking its readers (possible thanks to its unique index). */
  async refreshSummary(em: EntityManager): Promise<void> {
    await em.execute(`refresh materialized view concurrently ${schemaOf(em)}."event_daily_summary"`);
  }
}

export interface EventFilter {
  type: string;
  since: Date;
  /** Exclusive; open-ended when absent. */
  until?: Date;
  outcome?: string;
  kind?: string;
}

/** The `from … where …` of the events matching `filter`, with its parameters. */
export function eventsWhere(em: EntityManager, filter: EventFilter): { sql: string; params: unknown[] } {
  const conditions = [`"type" = ?`, `"occurred_at" >= ?`];
  const params: unknown[] = [filter.type, filter.since];
  const optional = [
    ['"occurred_at" < ?', filter.until],
    ['"outcome" = ?', filter.outcome],
    ['"kind" = ?', filter.kind],
  ] as const;
  for (const [condition, value] of optional) {
    if (value === undefined) continue;
    conditions.push(condition);
    params.push(value);
  }
  return { sql: `from ${schemaOf(em)}."events" where ${conditions.join(' and ')}`, params };
}

/** How many events match (or the sum of their amounts), per subject when asked. */
export async function countEvents(
  em: EntityManager,
  filter: EventFilter & { sum?: boolean; bySubject?: boolean },
): Promise<Map<string, number>> {
  const where = eventsWhere(em, filter);
  const measure = filter.sum ? `coalesce(sum("amount"), 0)` : `count(*)`;
  const group = filter.bySubject ? `coalesce("subject", '')` : `''`;
  const rows = await em.execute<{ subject: string; value: string | number }[]>(
    `select ${group} as subject, ${measure}::double precision as value ${where.sql} group by 1`,
    where.params,
  );
  return new Map(rows.map((row) => [row.subject, Number(row.value)]));
}
