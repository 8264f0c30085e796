// The gateway's GraphQL traffic as Beeacon's metric rules see it: per operation type, how many operations were
// answered and failed, and the duration histogram, read from the gateway's prom-client metrics. Two readings
// taken an interval apart give that interval's figures (counters only grow; a restart of the gateway resets them,
// and a reading lower than the last one starts afresh).
import { processMetricsText } from '@sting/kit';
import { parseSamples } from './prometheus-text.ts';

export interface OperationTraffic {
  requests: number;
  failed: number;
  /** Cumulative histogram buckets: upper bound in seconds → count of durations at or below it. */
  buckets: Map<number, number>;
}

export type TrafficReading = Map<string, OperationTraffic>;

const REQUESTS = 'sting_graphql_requests_total';
const BUCKET = 'sting_graphql_request_duration_seconds_bucket';

export function readTraffic(text: string): TrafficReading {
  const reading: TrafficReading = new Map();
  const of = (type: string) => {
    let traffic = reading.get(type);
    if (!traffic) reading.set(type, (traffic = { requests: 0, failed: 0, buckets: new Map() }));
    return traffic;
  };
  for (const sample of parseSamples(text)) {
    const type = sample.labels.operation_type;
    if (!type) continue;
    if (sample.name === REQUESTS) {
      of(type).requests += sample.value;
      if (sample.labels.outcome !== 'success') of(type).failed += sample.value;
    } else if (sample.name === BUCKET) {
      const bound = sample.labels.le === '+Inf' ? Infinity : Number(sample.labels.le);
      of(type).buckets.set(bound, (of(type).buckets.get(bound) ?? 0) + sample.value);
    }
  }
  return reading;
}

/** What happened between two readings (the later one alone when the counters went backwards). */
export function trafficBetween(before: TrafficReading | null, after: TrafficReading): TrafficReading {
  const delta: TrafficReading = new Map();
  for (const [type, now] of after) {
    const then = before?.get(type);
    if (!then || then.requests > now.requests) {
      delta.set(type, now);
      continue;
    }
    const buckets = new Map<number, number>();
    for (const [bound, count] of now.buckets) buckets.set(bound, count - (then.buckets.get(bound) ?? 0));
    delta.set(type, { requests: now.requests - then.requests, failed: now.failed - then.failed, buckets });
  }
  return delta;
}

/**
 * The q-quantile of a cumulative histogram, interpolated linearly inside its bucket as Prometheus'
 * histogram_quantile does; the largest finite bound when it falls in the +Inf bucket; null when empty.
 */
export function quantile(buckets: Map<number, number>, q: number): number | null {
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  const total = buckets.get(Infinity) ?? Math.max(0, ...buckets.values());
  if (total <= 0) return null;
  const rank = q * total;
  let lowerBound = 0;
  let lowerCount = 0;
  for (const bound of bounds) {
    const count = buckets.get(bound) ?? 0;
    if (count >= rank) {
      if (bound === Infinity) return lowerBound;
      const inBucket = count - lowerCount;
      return inBucket <= 0 ? bound : lowerBound + ((bound - lowerBound) * (rank - lowerCount)) / inBucket;
    }
    lowerBound = bound;
    lowerCount = count;
  }
  return lowerBound;
}

/** The gateway's metrics: in this process when it runs here, else scraped from `url`; null when unreachable. */
export async function fetchGatewayMetrics(url: string, token: string | null): Promise<string | null> {
  if (!url) return processMetricsText();
  const response = await fetch(url, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new Error(`metrics answered ${response.status}`);
  return response.text();
}
