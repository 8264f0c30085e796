// The part of the platform configuration the gateway reads. The full typed config (kit `loadConfig`) is a
// superset of this shape; taking only what is used keeps the gateway testable with a few literal values.
import type { SubgraphName } from '@sting/kit';

export interface GatewaySettings {
  profile: 'development' | 'production';
  topology: 'embedded' | 'distributed';
  gateway: {
    host: string;
    port: number;
    playground: 'auto' | boolean;
    /** Path (relative to the working directory) or http(s) URL of the composed supergraph. */
    supergraph: string;
    subgraphs: Record<SubgraphName, string>;
  };
  security: { keysDir: string; assertionTtlSeconds: number };
}

export const SUBGRAPH_NAMES: readonly SubgraphName[] = [
  'identity',
  'honey-jars',
  'knowledge',
  'chat',
  'observability',
];
