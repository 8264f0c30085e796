// The alert rules read from the gateway's metrics: its error rate and p99 latency per operation type over the last
// evaluation interval (the difference between this reading and the previous one). The first reading after a start
// only sets the baseline; an unreachable gateway decides nothing.
import { quantile, readTraffic, trafficBetween, type TrafficReading } from './gateway-traffic.ts';
import type { AlertRule, Breach } from './rule-engine.ts';

export interface ErrorRateSettings {
  enabled: boolean;
  threshold: number;
  minRequests: number;
}

export interface LatencySettings {
  enabled: boolean;
  p99Seconds: number;
  minRequests: number;
}

/** One reader shared by both rules, so each round reads the gateway once and both judge the same interval. */
export class TrafficWindow {
  readonly #read: () => Promise<string | null>;
  #last: TrafficReading | null = null;
  #round: { at: number; delta: Promise<TrafficReading | null> } | null = null;

  constructor(read: () => Promise<string | null>) {
    this.#read = read;
  }

  /** The traffic since the previous round (null: no baseline yet, or the metrics could not be read). */
  since(now: Date): Promise<TrafficReading | null> {
    if (this.#round?.at !== now.getTime()) this.#round = { at: now.getTime(), delta: this.#next() };
    return this.#round.delta;
  }

  async #next(): Promise<TrafficReading | null> {
    const text = await this.#read().catch(() => null);
    if (text === null) return null;
    const reading = readTraffic(text);
    const before = this.#last;
    this.#last = reading;
    return before ? trafficBetween(before, reading) : null;
  }
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

export function errorRateRule(settings: ErrorRateSettings, traffic: TrafficWindow): AlertRule {
  return {
    name: 'error-rate',
    async evaluate(_em, now) {
      const delta = await traffic.since(now);
      if (!delta) return null;
      const breaches: Breach[] = [];
      for (const [type, { requests, failed }] of delta) {
        if (requests < settings.minRequests || failed / requests <= settings.threshold) continue;
        breaches.push({
          subject: type,
          severity: 'WARNING',
          title: `${type} error rate ${percent(failed / requests)}`,
          message: `${failed} of ${requests} ${type} operations failed since the last check (threshold ${percent(settings.threshold)}).`,
        });
      }
      return breaches;
    },
  };
}

export function latencyRule(settings: LatencySettings, traffic: TrafficWindow): AlertRule {
  return {
    name: 'latency-p99',
    async evaluate(_em, now) {
      const delta = await traffic.since(now);
      if (!delta) return null;
      const breaches: Breach[] = [];
      for (const [type, { requests, buckets }] of delta) {
        const p99 = quantile(buckets, 0.99);
        if (requests < settings.minRequests || p99 === null || p99 <= settings.p99Seconds) continue;
        breaches.push({
          subject: type,
          severity: 'WARNING',
          title: `${type} p99 latency ${p99.toFixed(2)}s`,
          message: `The 99th percentile of ${requests} ${type} operations since the last check was ${p99.toFixed(2)}s (threshold ${settings.p99Seconds}s).`,
        });
      }
      return breaches;
    },
  };
}
