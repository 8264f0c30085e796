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
  /** The operation type its requests were labelled with (query, mutation, subscription). */
  operationType?: string;
}

export type TrafficReading = Map<string, OperationTraffic>;

/** Which counter and histogram to read, and the label that tells one series from another. */
export interface TrafficSeries {
  requests: string;
  buckets: string;
  key: string;
}

/** Per operation type (query, mutation, subscription). */
export const BY_OPERATION_TYPE: TrafficSeries = {
  requests: 'sting_graphql_requests_total',
  buckets: 'sting_graphql_request_duration_seconds_bucket',
  key: 'operation_type',
};

/** Per operation, named by its first root field. */
export const BY_OPERATION: TrafficSeries = {
  requests: 'sting_graphql_operations_total',
  buckets: 'sting_graphql_operation_duration_seconds_bucket',
  key: 'operation',
};

export function readTraffic(text: string, series: TrafficSeries = BY_OPERATION_TYPE): TrafficReading {
  const reading: TrafficReading = new Map();
  const of = (key: string) => {
    let traffic = reading.get(key);
    if (!traffic) reading.set(key, (traffic = { requests: 0, failed: 0, buckets: new Map() }));
    return traffic;
  };
  for (const sample of parseSamples(text)) {
    const key = sample.labels[series.key];
    if (!key) continue;
    if (sample.name === series.requests) {
      const traffic = of(key);
      traffic.requests += sample.value;
      if (sample.labels.outcome !== 'success') traffic.failed += sample.value;
      traffic.operationType ??= sample.labels.operation_type;
    } else if (sample.name === series.buckets) {
      const bound = sample.labels.le === '+Inf' ? Infinity : Number(sample.labels.le);
      of(key).buckets.set(bound, (of(key).buckets.get(bound) ?? 0) + sample.value);
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

/**
 * The gateway's metrics: scraped from `url` when it was configured; otherwise from the gateway in this process when
 * one runs here, else scraped from the URL derived from the gateway's settings. null when there is none to read.
 */
export async function fetchGatewayMetrics(
  url: string,
  token: string | null,
  options: { configured?: boolean } = {},
): Promise<string | null> {
  if (!options.configured) {
    const local = await processMetricsText();
    if (local !== null || !url) return local;
  }
  const response = await fetch(url, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new Error(`metrics answered ${response.status}`);
  return response.text();
}
