// What each subgraph receives of the platform configuration: a typed slice, taken once when its runtime is
// built from the loaded (validated, resolved, frozen) config. A subgraph never reads config.yml or the
// environment itself; what it may read is listed here, so a new need is a visible one-line change.
import type { StingConfig } from '../config/schema.ts';
import type { SubgraphName } from './names.ts';

const slices = {
  // The secrets section and the gateway's port: the key sealing TOTP secrets, and the passkey origin's default.
  identity: (c: StingConfig) => ({
    identity: c.identity,
    secrets: c.secrets,
    gateway: { port: c.gateway.port },
  }),
  'honey-jars': (_c: StingConfig) => ({}),
  knowledge: (c: StingConfig) => ({
    root: c.root,
    database: c.database,
    chroma: c.chroma,
    secrets: c.secrets,
    knowledge: c.knowledge,
  }),
  chat: (c: StingConfig) => ({ bee: c.bee, redis: c.redis }),
  observability: (c: StingConfig) => ({
    topology: c.topology,
    // Where the gateway's metrics are scraped in the distributed topology (alert rules).
    gateway: {
      subgraphs: c.gateway.subgraphs,
      host: c.gateway.host,
      port: c.gateway.port,
      profile: c.profile,
      metrics: c.gateway.metrics,
    },
    redis: c.redis,
    chroma: c.chroma,
    status: c.observability.status,
    alerts: c.observability.alerts,
    // Outgoing webhooks (secrets resolved) and the events table.
    webhooks: c.observability.webhooks,
    events: c.observability.events,
    // Logs, Loki and Grafana; the whole section and the secret references for the configuration view.
    logs: c.observability.logs,
    loki: c.observability.loki,
    grafana: c.observability.grafana,
    observability: c.observability,
    secretReferences: c.secretReferences ?? {},
  }),
} satisfies Record<SubgraphName, (config: StingConfig) => object>;

/** The configuration subgraph `N` sees (for the default, any subgraph's). */
export type SubgraphConfig<N extends SubgraphName = SubgraphName> = ReturnType<(typeof slices)[N]>;

export function subgraphConfig<N extends SubgraphName>(name: N, config: StingConfig): SubgraphConfig<N> {
  return Object.freeze(slices[name](config)) as SubgraphConfig<N>;
}

/**
 * A runtime's slice typed for subgraph `name`, where the code holds a runtime of any subgraph (a host hands
 * every module the same runtime type). Throws when the runtime is another subgraph's: that is a wiring bug.
 */
export function configOf<N extends SubgraphName>(
  runtime: { name: SubgraphName; config: unknown },
  name: N,
): SubgraphConfig<N> {
  if (runtime.name !== name) throw new Error(`${runtime.name}'s runtime handed to ${name}`);
  return runtime.config as SubgraphConfig<N>;
}
