// The Pollen Filter's time series: each process's observability.log.sanitized intervals (counts only) added into
// one row per minute and redaction type, kept seven days (retention.ts), read back per minute for Beeacon.
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, type LogSanitizedReport } from '@sting/kit';
import { logTables } from './tables.ts';
import { POLLEN_SERIES_DAYS } from './retention.ts';

const MINUTE_MS = 60_000;
const labelOf = (type: string) =>
  type
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, '_')
    .slice(0, 64);

/** Adds one interval to the minute it ended in. Malformed reports (from outside the platform) are ignored. */
export async function recordSanitizedInterval(em: EntityManager, report: LogSanitizedReport): Promise<void> {
  const to = Date.parse(report?.to);
  if (!Number.isFinite(to) || !(report.records >= 0)) return;
  const minute = new Date(Math.floor(to / MINUTE_MS) * MINUTE_MS);
  const { redactions, sanitized } = logTables(em);
  await em.execute(
    `insert into ${sanitized} as s (minute, records) values (?, ?)
     on conflict (minute) do update set records = s.records + excluded.records`,
    [minute, Math.trunc(report.records)],
  );
  const counts = Object.entries(report.redactions ?? {}).filter(([, n]) => Number.isFinite(n) && n > 0);
  if (counts.length === 0) return;
  await em.execute(
    `insert into ${redactions} as r (minute, type, count)
     select ?::timestamptz, x.type, x.count from jsonb_to_recordset(?::jsonb) as x(type text, count bigint)
     on conflict (minute, type) do update set count = r.count + excluded.count`,
    [
      minute,
      JSON.stringify(counts.map(([type, count]) => ({ type: labelOf(type), count: Math.trunc(count) }))),
    ],
  );
}

export interface PollenMinute {
  minute: Date;
  records: number;
  redactions: { type: string; count: number }[];
}

/** Minutes with any records or redactions between since and until (default the last hour), oldest first. */
export async function pollenSeries(
  em: EntityManager,
  args: { since?: Date | null; until?: Date | null },
  now = Date.now(),
): Promise<PollenMinute[]> {
  const until = args.until ?? new Date(now);
  const since = args.since ?? new Date(until.getTime() - 3_600_000);
  if (since >= until) throw new BadUserInputError('since must be before until', 'since');
  if (until.getTime() - since.getTime() > POLLEN_SERIES_DAYS * 86_400_000) {
    throw new BadUserInputError(`At most ${POLLEN_SERIES_DAYS} days at a time`, 'since');
  }
  const { redactions, sanitized } = logTables(em);
  const rows = await em.execute<
    { minute: Date; records: string | null; type: string | null; count: string | null }[]
  >(
    `select m.minute, s.records, r.type, r.count
       from (select minute from ${sanitized} where minute >= ? and minute < ?
             union select minute from ${redactions} where minute >= ? and minute < ?) m
       left join ${sanitized} s on s.minute = m.minute
       left join ${redactions} r on r.minute = m.minute
     order by m.minute, r.count desc nulls last, r.type`,
    [since, until, since, until],
  );
  const out: PollenMinute[] = [];
  for (const row of rows) {
    const minute = new Date(row.minute);
    let last = out.at(-1);
    if (!last || last.minute.getTime() !== minute.getTime()) {
      out.push((last = { minute, records: Number(row.records ?? 0), redactions: [] }));
    }
    if (row.type) last.redactions.push({ type: row.type, count: Number(row.count) });
  }
  return out;
}
