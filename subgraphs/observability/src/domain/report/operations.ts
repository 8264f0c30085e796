// Error rate and latency per GraphQL operation type, from the gateway's metrics (counted since the gateway
// started: Prometheus counters hold totals, not a history; Grafana's dashboards show them over time).
import { quantile, readTraffic } from '../rules/gateway-traffic.ts';

export interface OperationHealth {
  operationType: string;
  requests: number;
  failed: number;
  errorRate: number;
  p50Seconds: number | null;
  p99Seconds: number | null;
}

export function operationHealth(metricsText: string | null): OperationHealth[] {
  if (metricsText === null) return [];
  return [...readTraffic(metricsText)]
    .map(([operationType, traffic]) => ({
      operationType,
      requests: traffic.requests,
      failed: traffic.failed,
      errorRate: traffic.requests > 0 ? traffic.failed / traffic.requests : 0,
      p50Seconds: quantile(traffic.buckets, 0.5),
      p99Seconds: quantile(traffic.buckets, 0.99),
    }))
    .sort((a, b) => a.operationType.localeCompare(b.operationType));
}
