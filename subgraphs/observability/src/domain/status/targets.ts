// What systemStatus checks, read from observability's configuration slice (config.yml keys `topology`,
// `gateway.subgraphs`, `redis.url`, `chroma.url`, with REDIS_URL / CHROMA_URL already applied by the loader).
import { SubgraphNames, type SubgraphConfig } from '@sting/kit';

export type Topology = 'embedded' | 'distributed';

export interface StatusTargets {
  topology: Topology;
  /** Subgraph name → its GraphQL URL (the URL only matters in the distributed topology). */
  subgraphs: Record<string, string>;
  /** Empty when Redis is not configured: it is then not checked. */
  redisUrl: string;
  chromaUrl: string;
}

type Slice = SubgraphConfig<'observability'>;

/** The slice as tests may give it: any part of it. */
export interface ObservabilityConfig {
  topology?: Slice['topology'];
  gateway?: { subgraphs?: Partial<Record<string, string>> };
  redis?: { url?: string };
  chroma?: { url?: string };
}

export function statusTargets(config: ObservabilityConfig): StatusTargets {
  const configured = Object.fromEntries(
    Object.entries(config.gateway?.subgraphs ?? {}).map(([name, url]) => [name, url ?? '']),
  );
  return {
    topology: config.topology === 'distributed' ? 'distributed' : 'embedded',
    subgraphs:
      Object.keys(configured).length > 0 ? configured : Object.fromEntries(SubgraphNames.map((n) => [n, ''])),
    redisUrl: config.redis?.url ?? '',
    chromaUrl: config.chroma?.url ?? '',
  };
}
