// The observability subgraph (Beeacon) as the runtime hosts it. `createObservabilitySubgraph` lets a host
// replace the health probes, e.g. the embedded launcher handing over each in-process subgraph's schema.
import {
  configOf,
  defineSubgraph,
  processInstanceId,
  processPollenFilter,
  type SubgraphModule,
  type SubgraphRuntime,
} from '@sting/kit';
import { entities } from './entities/index.ts';
import { createLoaders } from './loaders.ts';
import { createResolvers } from './resolvers/index.ts';
import { defaultProbes } from './domain/status/default-probes.ts';
import type { Probe } from './domain/status/probe.ts';
import { StatusCache } from './domain/status/status-cache.ts';
import { PollenStatsCollector } from './domain/pollen/pollen-stats.ts';
import { HealthWatch } from './domain/rules/component-down.ts';
import { startBeeaconJobs } from './domain/beeacon-jobs.ts';
import { startLogIngestion } from './domain/logs/ingest.ts';

export type { Probe, ProbeOutcome, ComponentKind } from './domain/status/probe.ts';
export { schemaSubgraphProbe, httpSubgraphProbe } from './domain/status/probes/subgraph.ts';
export { postgresProbe } from './domain/status/probes/database.ts';
export { redisProbe } from './domain/status/probes/cache.ts';
export { chromaProbe } from './domain/status/probes/vector-store.ts';
export { defaultProbes };

export interface ObservabilityOptions {
  /** The probes systemStatus runs; defaults to those the runtime configuration describes. */
  probes?: (runtime: SubgraphRuntime) => Probe[];
}

export function createObservabilitySubgraph(options: ObservabilityOptions = {}): SubgraphModule {
  const build = options.probes ?? defaultProbes;
  // Probes hold no connections between checks, so one set per runtime is enough; its status cache serves every
  // systemStatus read and the periodic health check alike (observability.status.freshnessSeconds).
  const statusCaches = new WeakMap<SubgraphRuntime, StatusCache>();
  const statusFor = (runtime: SubgraphRuntime) => {
    let cache = statusCaches.get(runtime);
    if (!cache) {
      const probes = build(runtime);
      const freshness = configOf(runtime, 'observability').status?.freshnessSeconds;
      statusCaches.set(runtime, (cache = new StatusCache(() => probes, freshness)));
    }
    return cache;
  };
  // One collector per runtime, listening from start-up so other processes' reports are at hand when asked.
  const collectors = new WeakMap<SubgraphRuntime, PollenStatsCollector>();
  const pollenStatsFor = (runtime: SubgraphRuntime) => {
    let collector = collectors.get(runtime);
    if (!collector) {
      collector = new PollenStatsCollector({
        bus: runtime.bus,
        ownInstance: processInstanceId(),
        ownStats: () => processPollenFilter().stats(),
      });
      collectors.set(runtime, collector);
    }
    return collector;
  };
  return defineSubgraph(import.meta.url, {
    name: 'observability',
    dbSchema: 'observability',
    resolvers: createResolvers(statusFor, pollenStatsFor),
    entities,
    createLoaders,
    onStart: async (runtime) => {
      await pollenStatsFor(runtime).start();
      // Log records into the embedded store (unless Loki keeps them) and the Pollen Filter's per-minute series.
      await startLogIngestion(runtime);
      // The component-down rule checks on its own clock (config observability.alerts.componentDown); its timer
      // never keeps the process alive.
      const watch = new HealthWatch({
        orm: runtime.orm,
        status: statusFor(runtime),
        settings: configOf(runtime, 'observability').alerts.componentDown,
        origin: runtime.name,
        logger: runtime.logger,
      });
      watch.start();
      runtime.stopHooks.push(() => watch.stop());
      // The events table, the evaluated alert rules and the webhooks (config observability.*).
      await startBeeaconJobs(runtime);
    },
  });
}

export const subgraph: SubgraphModule = createObservabilitySubgraph();
