// The probes systemStatus runs unless the host supplies its own: PostgreSQL always, each subgraph by the
// topology's means, and Redis and Chroma when configured.
import { configOf, type SubgraphRuntime } from '@sting/kit';
import type { Probe } from './probe.ts';
import { statusTargets } from './targets.ts';
import { migratedSchemaProbe, postgresProbe } from './probes/database.ts';
import { httpSubgraphProbe } from './probes/subgraph.ts';
import { redisProbe } from './probes/cache.ts';
import { chromaProbe } from './probes/vector-store.ts';

// Each subgraph owns the PostgreSQL schema named after it; the embedded check looks for its migrations there.
const dbSchemaOf = (subgraph: string) => subgraph.replace(/-/g, '_');

export function defaultProbes(runtime: SubgraphRuntime): Probe[] {
  const targets = statusTargets(configOf(runtime, 'observability'));
  const ownSchema = String(runtime.orm.config.get('schema') ?? dbSchemaOf(runtime.name));
  const subgraphs = Object.entries(targets.subgraphs).map(([name, url]) =>
    targets.topology === 'distributed' && url
      ? httpSubgraphProbe(name, url)
      : migratedSchemaProbe(runtime.orm, name, name === runtime.name ? ownSchema : dbSchemaOf(name)),
  );
  return [
    postgresProbe(runtime.orm),
    ...subgraphs,
    ...(targets.redisUrl ? [redisProbe(targets.redisUrl)] : []),
    ...(targets.chromaUrl ? [chromaProbe(targets.chromaUrl)] : []),
  ];
}
