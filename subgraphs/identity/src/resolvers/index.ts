// The identity resolver map, assembled from one file per concept.
import type { GraphQLResolverMap } from '@apollo/subgraph';
import type { SubgraphContext } from '@sting/kit';
import type { IdentityLoaders } from '../loaders.ts';
import { DateTime } from './date-time.ts';
import { sessionMutations, sessionQueries } from './sessions.ts';
import { User, userMutations, userQueries } from './users.ts';

export const resolvers = {
  DateTime,
  Query: { ...userQueries, ...sessionQueries },
  Mutation: { ...userMutations, ...sessionMutations },
  User,
} as unknown as GraphQLResolverMap<SubgraphContext<IdentityLoaders>>;
