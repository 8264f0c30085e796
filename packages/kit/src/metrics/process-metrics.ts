// The Prometheus metrics of the gateway running in this process, for readers in the same process (Beeacon's
// error-rate and latency rules in the embedded topology) that would otherwise scrape its /metrics over HTTP.
type MetricsSource = () => Promise<string>;

let source: MetricsSource | null = null;

/** Called by the gateway with its registry's text exposition; the latest gateway started wins. */
export function exposeProcessMetrics(expose: MetricsSource): void {
  source = expose;
}

/** The text exposition of this process's gateway metrics, or null when no gateway runs here. */
export async function processMetricsText(): Promise<string | null> {
  return source ? source() : null;
}
