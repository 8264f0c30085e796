// The Pollen Filter's minutes turned into what the chart draws: redactions per type in equal time buckets over a
// window (a minute each for the last hour, wider for a day or a week so the chart keeps about 60 bars). Minutes
// the server has no row for filtered nothing, so their buckets count zero.

export interface PollenMinuteLike {
  minute: string;
  records: number;
  redactions: readonly { type: string; count: number }[];
}

export interface SeriesBucket {
  /** ISO start of the bucket. */
  start: string;
  /** Redactions per type, in the order of `types`. */
  counts: number[];
  total: number;
}

export interface SeriesTable {
  /** Redaction types, most frequent in the window first. */
  types: string[];
  bucketMinutes: number;
  buckets: SeriesBucket[];
}

const NICE_MINUTES = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440];
const MINUTE = 60_000;

export function bucketMinutesFor(windowMinutes: number, maxBuckets = 60): number {
  const wanted = windowMinutes / maxBuckets;
  return NICE_MINUTES.find((m) => m >= wanted) ?? NICE_MINUTES[NICE_MINUTES.length - 1]!;
}

export function pollenSeries(
  minutes: readonly PollenMinuteLike[],
  since: Date,
  until: Date,
  maxBuckets = 60,
): SeriesTable {
  const start = Math.floor(since.getTime() / MINUTE) * MINUTE;
  const windowMinutes = Math.max(1, Math.ceil((until.getTime() - start) / MINUTE));
  const bucketMinutes = bucketMinutesFor(windowMinutes, maxBuckets);
  const count = Math.ceil(windowMinutes / bucketMinutes);
  const totals = new Map<string, number>();
  for (const m of minutes)
    for (const r of m.redactions) totals.set(r.type, (totals.get(r.type) ?? 0) + r.count);
  const types = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t]) => t);
  const column = new Map(types.map((t, i) => [t, i]));
  const buckets: SeriesBucket[] = Array.from({ length: count }, (_, i) => ({
    start: new Date(start + i * bucketMinutes * MINUTE).toISOString(),
    counts: types.map(() => 0),
    total: 0,
  }));
  for (const m of minutes) {
    const index = Math.floor((Date.parse(m.minute) - start) / (bucketMinutes * MINUTE));
    const bucket = buckets[index];
    if (!bucket) continue;
    for (const r of m.redactions) {
      bucket.counts[column.get(r.type)!]! += r.count;
      bucket.total += r.count;
    }
  }
  return { types, bucketMinutes, buckets };
}
