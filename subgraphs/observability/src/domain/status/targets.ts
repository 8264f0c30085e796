// What systemStatus checks, read from the runtime configuration (config.yml keys `topology`,
// `gateway.subgraphs`, `redis.url`, `chroma.url`) with the REDIS_URL / CHROMA_URL environment as fallback.
export type Topology = 'embedded' | 'distributed';

export interface StatusTargets {
  topology: Topology;
  /** Subgraph name → its GraphQL URL (the URL only matters in the distributed topology). */
  subgraphs: Record<string, string>;
  /** Empty when Redis is not configured: it is then not checked. */
  redisUrl: string;
  chromaUrl: string;
}

const ALL_SUBGRAPHS = ['identity', 'honey-jars', 'knowledge', 'chat', 'observability'];

const section = (value: unknown, key: string): Record<string, unknown> => {
  const inner = value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return inner && typeof inner === 'object' ? (inner as Record<string, unknown>) : {};
};
const text = (value: unknown) => (typeof value === 'string' ? value : '');

export function statusTargets(config: unknown, env: NodeJS.ProcessEnv = process.env): StatusTargets {
  const root = config && typeof config === 'object' ? (config as Record<string, unknown>) : {};
  const configured = Object.fromEntries(
    Object.entries(section(section(root, 'gateway'), 'subgraphs')).map(([name, url]) => [name, text(url)]),
  );
  return {
    topology: text(root.topology) === 'distributed' ? 'distributed' : 'embedded',
    subgraphs:
      Object.keys(configured).length > 0 ? configured : Object.fromEntries(ALL_SUBGRAPHS.map((n) => [n, ''])),
    redisUrl: text(section(root, 'redis').url) || text(env.REDIS_URL),
    chromaUrl: text(section(root, 'chroma').url) || text(env.CHROMA_URL),
  };
}
