// The part of the platform configuration the gateway reads, taken from kit's typed config so the two cannot drift;
// taking only what is used keeps the gateway testable with a few literal values.
import type { StingConfig, SubgraphName } from '@sting/kit';

export type GatewaySettings = Pick<StingConfig, 'profile' | 'topology' | 'security'> & {
  // A loaded config has decided the playground already; `auto` (decide by profile) serves callers that have not.
  gateway: Omit<StingConfig['gateway'], 'playground'> & { playground: 'auto' | boolean };
};

export const SUBGRAPH_NAMES: readonly SubgraphName[] = [
  'identity',
  'honey-jars',
  'knowledge',
  'chat',
  'observability',
];
