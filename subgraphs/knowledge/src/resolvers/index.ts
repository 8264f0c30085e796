// The knowledge resolver map.
import type { GraphQLResolverMap } from '@apollo/subgraph';
import type { SubgraphContext } from '@sting/kit';
import type { KnowledgeLoaders } from '../loaders.ts';
import { HoneyJarFields } from './honey-jars.ts';

export const resolvers = {
  HoneyJar: HoneyJarFields,
} as unknown as GraphQLResolverMap<SubgraphContext<KnowledgeLoaders>>;
