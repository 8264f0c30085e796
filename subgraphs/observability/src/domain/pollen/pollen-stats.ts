// Pollen Filter statistics for the whole platform: this process's own figures plus the latest report of every
// other process heard on the bus within the freshness window, summed. Reports this process sent are skipped,
// since its own figures are read directly.
import {
  Topics,
  type BusSubscription,
  type EventEnvelope,
  type EventBus,
  type PollenFilterStats,
  type PollenStatsReport,
  type Viewer,
} from '@sting/kit';
import { authorize } from '../policies.ts';

export interface PollenRedactionCount {
  /** As the redaction label in the logs: `EMAIL`, `CARD`, `URL_CREDENTIALS`. */
  type: string;
  count: number;
}

export interface PlatformPollenStats {
  /** The earliest start of counting among the processes summed. */
  since: Date;
  records: number;
  bytes: number;
  /** Most redactions first, then by type. */
  redactions: PollenRedactionCount[];
  totalRedactions: number;
  /** Processes whose figures are included, this one among them. */
  instances: number;
}

export interface PollenStatsCollectorOptions {
  bus: EventBus;
  /** This process's id; its own reports are ignored. */
  ownInstance: string;
  /** This process's figures, read when asked. */
  ownStats: () => PollenFilterStats;
  /** Reports older than this are dropped (default 60 s, four missed reports at the 15 s default). */
  freshForMs?: number;
  now?: () => number;
}

const labelOf = (type: string) => type.toUpperCase().replace(/[^A-Z0-9_]/g, '_');

export class PollenStatsCollector {
  #options: PollenStatsCollectorOptions;
  /** Latest report per other instance, with when it was heard (this host's clock, not the sender's). */
  #latest = new Map<string, { report: PollenStatsReport; heardAt: number }>();
  #feed: BusSubscription<EventEnvelope<PollenStatsReport>> | undefined;
  #started: Promise<void> | undefined;

  constructor(options: PollenStatsCollectorOptions) {
    this.#options = options;
  }

  /** Resolves once listening; the listener ends with stop() or when the bus closes. */
  start(): Promise<void> {
    // A failed attempt (the bus unreachable) is forgotten, so the next call tries again.
    this.#started ??= this.#listen().catch((err: unknown) => {
      this.#started = undefined;
      throw err;
    });
    return this.#started;
  }

  async stop(): Promise<void> {
    await this.#feed?.return();
  }

  async #listen(): Promise<void> {
    const feed = await this.#options.bus.subscribe<PollenStatsReport>(Topics.observability.pollenStats);
    this.#feed = feed;
    void (async () => {
      for await (const event of feed) this.#hear(event.payload);
    })();
  }

  #hear(report: PollenStatsReport): void {
    if (!report || typeof report.instance !== 'string' || !report.stats) return;
    if (report.instance === this.#options.ownInstance) return;
    this.#latest.set(report.instance, { report, heardAt: this.#now() });
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  /** The summed figures as of now; stale reports are forgotten on the way. */
  snapshot(): PlatformPollenStats {
    const cutoff = this.#now() - (this.#options.freshForMs ?? 60_000);
    const sources = [this.#options.ownStats()];
    for (const [instance, { report, heardAt }] of this.#latest) {
      if (heardAt < cutoff) this.#latest.delete(instance);
      else sources.push(report.stats);
    }
    const counts = new Map<string, number>();
    let records = 0;
    let bytes = 0;
    let since = Infinity;
    for (const stats of sources) {
      records += stats.records;
      bytes += stats.bytes;
      since = Math.min(since, Date.parse(stats.since) || Infinity);
      for (const [type, count] of Object.entries(stats.counts)) {
        counts.set(labelOf(type), (counts.get(labelOf(type)) ?? 0) + count);
      }
    }
    const redactions = [...counts]
      .map(([type, count]) => ({ type, count }))
      .sort((a, b) => b.count - a.count || a.type.localeCompare(b.type));
    return {
      since: new Date(Number.isFinite(since) ? since : this.#now()),
      records,
      bytes,
      redactions,
      totalRedactions: redactions.reduce((sum, r) => sum + r.count, 0),
      instances: sources.length,
    };
  }
}

/** The platform's Pollen Filter statistics, for administrators only. */
export async function pollenFilterStats(
  viewer: Viewer | null,
  collector: PollenStatsCollector,
): Promise<PlatformPollenStats> {
  authorize(viewer, 'readPollenStats');
  // Without the bus this process's own figures are still worth showing; `instances` then says they are all.
  await collector.start().catch(() => undefined);
  return collector.snapshot();
}
