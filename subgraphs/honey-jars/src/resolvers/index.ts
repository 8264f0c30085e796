// The honey-jars resolver map, assembled from one file per concept.
import type { GraphQLResolverMap } from '@apollo/subgraph';
import { DateTimeScalar, type SubgraphContext } from '@sting/kit';
import type { HoneyJarLoaders } from '../loaders.ts';
import { HoneyJarFields, honeyJarMutations, honeyJarQueries } from './honey-jars.ts';

export const resolvers = {
  DateTime: DateTimeScalar,
  Query: honeyJarQueries,
  Mutation: honeyJarMutations,
  HoneyJar: HoneyJarFields,
} as unknown as GraphQLResolverMap<SubgraphContext<HoneyJarLoaders>>;
