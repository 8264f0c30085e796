// The identity resolver map, assembled from one file per concept.
import type { GraphQLResolverMap } from '@apollo/subgraph';
import { DateTimeScalar, type SubgraphContext } from '@sting/kit';
import type { IdentityLoaders } from '../loaders.ts';
import { AuditEvent, auditMutations, auditQueries } from './audit.ts';
import { apiKeyMutations, apiKeyQueries } from './api-keys.ts';
import { mySessionMutations, mySessionQueries } from './my-sessions.ts';
import { peopleMutations, peopleQueries } from './people.ts';
import { passkeyMutations, passkeyQueries } from './passkeys.ts';
import { secondFactorMutations, secondFactorQueries } from './second-factor.ts';
import { sessionMutations, sessionQueries } from './sessions.ts';
import { User, userMutations, userQueries } from './users.ts';

export const resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    ...userQueries,
    ...sessionQueries,
    ...peopleQueries,
    ...mySessionQueries,
    ...auditQueries,
    ...apiKeyQueries,
    ...secondFactorQueries,
    ...passkeyQueries,
  },
  Mutation: {
    ...userMutations,
    ...sessionMutations,
    ...peopleMutations,
    ...mySessionMutations,
    ...auditMutations,
    ...apiKeyMutations,
    ...secondFactorMutations,
    ...passkeyMutations,
  },
  User,
  AuditEvent,
} as unknown as GraphQLResolverMap<SubgraphContext<IdentityLoaders>>;
