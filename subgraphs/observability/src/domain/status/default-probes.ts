// The probes systemStatus runs unless the host supplies its own: PostgreSQL always, each subgraph by the
// topology's means, and Redis and Chroma when configured.
import type { SubgraphRuntime } from '@sting/kit';
import type { Probe } from './probe.ts';
import { statusTargets } from './targets.ts';
import { migratedSchemaProbe, postgresProbe } from './probes/database.ts';
import { httpSubgraphProbe } from './probes/subgraph.ts';
import { redisProbe } from './probes/cache.ts';
import { chromaProbe } from './probes/vector-store.ts';

// Each subgraph owns the PostgreSQL schema named after it; the embedded check looks for its migrations there.
const dbSchemaOf = (subgraph: string) => subgraph.replace(/-/g, '_');

/** `env` is where unset URLs fall back to (REDIS_URL, CHROMA_URL); tests pass their own. */
export function defaultProbes(runtime: SubgraphRuntime, env: NodeJS.ProcessEnv = process.env): Probe[] {
  const targets = statusTargets(runtime.config, env);
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
