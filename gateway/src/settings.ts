// The part of the platform configuration the gateway reads, taken from kit's typed config so the two cannot drift;
// taking only what is used keeps the gateway testable with a few literal values.
import { SubgraphNames, type SubgraphName } from '@sting/kit/subgraph/names.ts';
import type { StingConfig } from '@sting/kit/config/index.ts';

/** Protective settings a caller may leave out (see protection.ts): the gateway applies the config defaults. */
type Defaulted = 'trustProxy' | 'limits' | 'rateLimit' | 'metrics' | 'subscriptions';

export type GatewaySettings = Pick<StingConfig, 'profile' | 'topology' | 'security'> & {
  // A loaded config has decided the playground already; `auto` (decide by profile) serves callers that have not.
  gateway: Omit<StingConfig['gateway'], 'playground' | Defaulted> & {
    playground: 'auto' | boolean;
  } & Partial<Pick<StingConfig['gateway'], Defaulted>>;
};

/** kit's one list of subgraphs. */
export const SUBGRAPH_NAMES: readonly SubgraphName[] = SubgraphNames;
