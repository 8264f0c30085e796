// The platform's events per day (eventSummary) as a chart's table: one bucket per UTC day of the window, one
// series per event type (kinds and outcomes summed), days without a row counting zero.
import type { SeriesTable } from './pollen-series';

const DAY = 24 * 60 * 60 * 1000;

export function eventSeries(
  counts: readonly { day: string; type: string; events: number }[],
  since: string,
  days: number,
): SeriesTable {
  const first = Date.parse(`${since}T00:00:00.000Z`);
  const totals = new Map<string, number>();
  for (const c of counts) totals.set(c.type, (totals.get(c.type) ?? 0) + c.events);
  const types = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t]) => t);
  const column = new Map(types.map((t, i) => [t, i]));
  const buckets = Array.from({ length: days }, (_, i) => ({
    start: new Date(first + i * DAY).toISOString(),
    counts: types.map(() => 0),
    total: 0,
  }));
  for (const c of counts) {
    const bucket = buckets[Math.round((Date.parse(`${c.day}T00:00:00.000Z`) - first) / DAY)];
    if (!bucket) continue;
    bucket.counts[column.get(c.type)!]! += c.events;
    bucket.total += c.events;
  }
  return { types, bucketMinutes: 24 * 60, buckets };
}
