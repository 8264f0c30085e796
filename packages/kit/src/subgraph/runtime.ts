// Hosts a subgraph module: builds its federated schema and the per-request context its resolvers receive.
// The same two functions serve the embedded topology (gateway process) and a standalone subgraph service.
import type { GraphQLSchema } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph';
import type { SubgraphContext, SubgraphModule, SubgraphRuntime, Viewer } from './module.ts';

export function buildSubgraph(module: SubgraphModule<any>): GraphQLSchema {
  return buildSubgraphSchema([
    { typeDefs: module.typeDefs, resolvers: module.resolvers as GraphQLResolverMap<unknown> },
  ]);
}

export interface RequestIdentity {
  viewer: Viewer | null;
  requestId: string;
  delegatedIdentity?: string;
}

export function createSubgraphContext<Loaders>(
  module: SubgraphModule<Loaders>,
  runtime: SubgraphRuntime,
  { viewer, requestId, delegatedIdentity }: RequestIdentity,
): SubgraphContext<Loaders> {
  // A fresh fork per request: the identity map and unit of work never carry one viewer's rows to another.
  const em = runtime.orm.em.fork({ clear: true, useContext: false });
  return {
    viewer,
    requestId,
    em,
    bus: runtime.bus,
    logger: runtime.logger.child({ subgraph: module.name, requestId }),
    loaders: module.createLoaders(em, runtime, viewer),
    runtime,
    ...(delegatedIdentity ? { delegatedIdentity } : {}),
  };
}
