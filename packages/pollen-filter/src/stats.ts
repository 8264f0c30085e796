// Counters behind `/api/beeacon/pollen-filter/stats`: redactions per type, records and bytes seen.
import type { PollenFilterStats } from './types.ts';

export class StatsCounter {
  records = 0;
  bytes = 0;
  counts: Record<string, number> = Object.create(null);
  since = new Date();

  count(type: string): void {
    this.counts[type] = (this.counts[type] ?? 0) + 1;
  }

  snapshot(): PollenFilterStats {
    return {
      records: this.records,
      bytes: this.bytes,
      counts: { ...this.counts },
      since: this.since.toISOString(),
    };
  }

  reset(): void {
    this.records = 0;
    this.bytes = 0;
    this.counts = Object.create(null);
    this.since = new Date();
  }
}
