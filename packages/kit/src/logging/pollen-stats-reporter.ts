// Publishes this process's Pollen Filter statistics on the event bus at a fixed interval, so that Beeacon (the
// observability subgraph, possibly in another process) can add up the redactions of every service.
import type { Logger } from 'pino';
import type { PollenFilter, PollenFilterStats } from '@sting/pollen-filter';

export type { PollenFilterStats };
import { createEvent } from '../bus/envelope.ts';
import type { EventBus } from '../bus/event-bus.ts';
import { EventTypes, Topics } from '../bus/topics.ts';
import { processInstanceId, processPollenFilter } from './process-filter.ts';

/** One process's figures as published on `Topics.observability.pollenStats`. */
export interface PollenStatsReport {
  /** Random per process (`processInstanceId()`), so replicas of one service count separately. */
  instance: string;
  service: string;
  /** ISO time the report was taken. */
  at: string;
  stats: PollenFilterStats;
}

/**
 * One process's interval as published on `Topics.observability.logSanitized`: how many records were filtered and
 * what was redacted, by type, between `from` and `to`. Counts only; never any content.
 */
export interface LogSanitizedReport {
  instance: string;
  service: string;
  from: string;
  to: string;
  records: number;
  redactions: Record<string, number>;
}

export interface PollenStatsReporterOptions {
  bus: EventBus;
  service: string;
  /** Default 15 s. */
  intervalSeconds?: number;
  /** Default: the process's shared filter. */
  filter?: Pick<PollenFilter, 'stats'>;
  /** Default: `processInstanceId()`. */
  instance?: string;
  /** Told when a report could not be published (the bus may be down for a while; the next tick retries). */
  logger?: Pick<Logger, 'warn'>;
}

export class PollenStatsReporter {
  #options: PollenStatsReporterOptions;
  #timer: NodeJS.Timeout | undefined;
  /** The figures at the end of the last interval reported on logSanitized. */
  #previous: { at: string; stats: PollenFilterStats } | undefined;

  constructor(options: PollenStatsReporterOptions) {
    this.#options = options;
  }

  /** Publishes one report now and then every interval; the timer never keeps the process alive. */
  start(): this {
    if (this.#timer) return this;
    const intervalMs = (this.#options.intervalSeconds ?? 15) * 1000;
    this.#timer = setInterval(() => void this.publish(), intervalMs);
    this.#timer.unref();
    void this.publish();
    return this;
  }

  /** Publishes the current figures once; failures are logged, not thrown. */
  async publish(): Promise<void> {
    const { bus, service, filter = processPollenFilter(), instance = processInstanceId() } = this.#options;
    const report: PollenStatsReport = {
      instance,
      service,
      at: new Date().toISOString(),
      stats: filter.stats(),
    };
    try {
      await bus.publish(
        Topics.observability.pollenStats,
        createEvent(EventTypes.pollenStats, report, { source: service }),
      );
      const interval = this.#interval(report);
      if (interval) {
        await bus.publish(
          Topics.observability.logSanitized,
          createEvent(EventTypes.logSanitized, interval, { source: service }),
        );
      }
    } catch (err) {
      this.#options.logger?.warn({ err }, 'pollen filter statistics could not be published');
    }
  }

  /** What changed since the last report; null for an interval with no records. */
  #interval(report: PollenStatsReport): LogSanitizedReport | null {
    // The first interval runs from when the filter started counting.
    const previous = this.#previous ?? {
      at: report.stats.since,
      stats: { ...report.stats, records: 0, bytes: 0, counts: {} },
    };
    this.#previous = { at: report.at, stats: report.stats };
    const records = report.stats.records - previous.stats.records;
    if (records <= 0) return null;
    const redactions: Record<string, number> = {};
    for (const [type, count] of Object.entries(report.stats.counts)) {
      const delta = count - (previous.stats.counts[type] ?? 0);
      if (delta > 0) redactions[type] = delta;
    }
    return {
      instance: report.instance,
      service: report.service,
      from: previous.at,
      to: report.at,
      records,
      redactions,
    };
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
