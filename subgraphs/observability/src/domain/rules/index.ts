// The evaluated alert rules as config.yml's observability.alerts enables them, and where the metric rules read
// the gateway's metrics (this process's gateway in the embedded topology, its /metrics URL otherwise).
import { configOf, type SubgraphRuntime } from '@sting/kit';
import {
  failedSignInsRule,
  ingestionFailuresRule,
  launcherRestartsRule,
  piiSpikeRule,
} from './event-rules.ts';
import { fetchGatewayMetrics } from './gateway-traffic.ts';
import { logBacklogRule } from './log-backlog.ts';
import { errorRateRule, latencyRule, TrafficWindow } from './metric-rules.ts';
import type { AlertRule } from './rule-engine.ts';

type ObservabilityConfig = ReturnType<typeof configOf<'observability'>>;

/** The gateway's metrics URL and token: configured, or derived from the gateway's own settings. */
export function metricsEndpoint(config: ObservabilityConfig): {
  url: string;
  token: string | null;
  /** The URL was configured (observability.alerts.metricsUrl): always scraped. */
  configured: boolean;
} {
  // A host may hand over a partial configuration (tests): absent sections mean this process's gateway.
  const { alerts, gateway, topology } = config;
  const token = alerts?.metricsToken || gateway?.metrics?.token || null;
  if (alerts?.metricsUrl) return { url: alerts.metricsUrl, token, configured: true };
  if (topology !== 'distributed' || !gateway?.metrics) return { url: '', token, configured: false };
  const separate =
    gateway.metrics.listener === 'separate' ||
    (gateway.metrics.listener === 'auto' && gateway.profile === 'production');
  const host = gateway.host === '0.0.0.0' || gateway.host === '::' ? '127.0.0.1' : gateway.host;
  const url = new URL(`http://${host.includes(':') ? `[${host}]` : host}`);
  url.port = String(separate ? gateway.metrics.port : gateway.port);
  url.pathname = '/metrics';
  return { url: url.toString(), token, configured: false };
}

export function configuredRules(runtime: SubgraphRuntime, read?: () => Promise<string | null>): AlertRule[] {
  const config = configOf(runtime, 'observability');
  const { alerts } = config;
  const endpoint = metricsEndpoint(config);
  const traffic = new TrafficWindow(
    read ?? (() => fetchGatewayMetrics(endpoint.url, endpoint.token, endpoint)),
  );
  const rules: [boolean, AlertRule][] = [
    [alerts.errorRate.enabled, errorRateRule(alerts.errorRate, traffic)],
    [alerts.latency.enabled, latencyRule(alerts.latency, traffic)],
    [alerts.ingestionFailures.enabled, ingestionFailuresRule(alerts.ingestionFailures)],
    [alerts.failedSignIns.enabled, failedSignInsRule(alerts.failedSignIns)],
    [alerts.piiSpike.enabled, piiSpikeRule(alerts.piiSpike)],
    [alerts.launcherRestarts.enabled, launcherRestartsRule(alerts.launcherRestarts)],
    [alerts.logBacklog.enabled, logBacklogRule(alerts.logBacklog)],
  ];
  return rules.filter(([enabled]) => enabled).map(([, rule]) => rule);
}
