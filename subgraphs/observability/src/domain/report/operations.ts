// Error rate and latency per GraphQL operation (named by its first root field) and per operation type, from the
// gateway's metrics (counted since the gateway started: Prometheus counters hold totals, not a history; Grafana's
// dashboards show them over time).
import {
  BY_OPERATION,
  BY_OPERATION_TYPE,
  quantile,
  readTraffic,
  type TrafficSeries,
} from '../rules/gateway-traffic.ts';

export interface OperationHealth {
  /** The first root field (e.g. `login`, `honeyJars`), or the operation type for the per-type totals. */
  operation: string;
  operationType: string;
  requests: number;
  failed: number;
  errorRate: number;
  p50Seconds: number | null;
  p99Seconds: number | null;
}

function health(metricsText: string, series: TrafficSeries): OperationHealth[] {
  return [...readTraffic(metricsText, series)]
    .map(([operation, traffic]) => ({
      operation,
      operationType: traffic.operationType ?? operation,
      requests: traffic.requests,
      failed: traffic.failed,
      errorRate: traffic.requests > 0 ? traffic.failed / traffic.requests : 0,
      p50Seconds: quantile(traffic.buckets, 0.5),
      p99Seconds: quantile(traffic.buckets, 0.99),
    }))
    .sort((a, b) => a.operationType.localeCompare(b.operationType) || a.operation.localeCompare(b.operation));
}

/** Per operation and per operation type; empty when the metrics could not be read. */
export function operationHealth(metricsText: string | null): {
  operations: OperationHealth[];
  operationTypes: OperationHealth[];
} {
  if (metricsText === null) return { operations: [], operationTypes: [] };
  return {
    operations: health(metricsText, BY_OPERATION),
    operationTypes: health(metricsText, BY_OPERATION_TYPE),
  };
}
