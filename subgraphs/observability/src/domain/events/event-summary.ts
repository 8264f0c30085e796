// eventSummary: the daily summary (materialized view) over the last N UTC days, for Beeacon's charts.
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, type Viewer } from '@sting/kit';
import { authorize } from '../policies.ts';
import { schemaOf } from './event-store.ts';

export interface EventDailyCount {
  day: string;
  type: string;
  kind: string;
  outcome: string;
  events: number;
  amount: number;
  actors: number;
}

export const MAX_SUMMARY_DAYS = 366;

/** The first UTC day of a window of `days` days ending today. */
export function firstDay(days: number, now = new Date()): string {
  const start = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (days - 1)));
  return start.toISOString().slice(0, 10);
}

export async function dailyCounts(em: EntityManager, from: string, to: string): Promise<EventDailyCount[]> {
  const rows = await em.execute<Record<string, unknown>[]>(
    `select to_char("day", 'YYYY-MM-DD') as "day", "type", "kind", "outcome", "events", "amount", "actors"
     from ${schemaOf(em)}."event_daily_summary" where "day" >= ?::date and "day" <= ?::date
     order by "day", "type", "kind", "outcome"`,
    [from, to],
  );
  return rows.map((row) => ({
    day: String(row.day),
    type: String(row.type),
    kind: String(row.kind),
    outcome: String(row.outcome),
    events: Number(row.events),
    amount: Number(row.amount),
    actors: Number(row.actors),
  }));
}

export async function eventSummary(
  scope: { viewer: Viewer | null; em: EntityManager },
  days: number,
): Promise<{ since: string; counts: EventDailyCount[] }> {
  authorize(scope.viewer, 'readEventSummary');
  if (!Number.isInteger(days) || days < 1 || days > MAX_SUMMARY_DAYS) {
    throw new BadUserInputError(`days must be between 1 and ${MAX_SUMMARY_DAYS}`, 'days');
  }
  const since = firstDay(days);
  return { since, counts: await dailyCounts(scope.em, since, new Date().toISOString().slice(0, 10)) };
}
