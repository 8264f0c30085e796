// Hosts a subgraph module: builds its federated schema and the per-request context its resolvers receive.
// The same two functions serve the embedded topology (gateway process) and a standalone subgraph service.
import type { GraphQLSchema } from 'graphql';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { EventBus } from '../bus/event-bus.ts';
import { OutboxRelay, type OutboxRelayOptions } from '../outbox/relay.ts';
import type { ClientInfo } from '../identity/assertion.ts';
import type { SubgraphConfig } from './config.ts';
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
  client?: ClientInfo;
  readOnly?: boolean;
}

export function createSubgraphContext<Loaders>(
  module: SubgraphModule<Loaders>,
  runtime: SubgraphRuntime,
  { viewer, requestId, delegatedIdentity, client, readOnly }: RequestIdentity,
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
    ...(client ? { client } : {}),
    ...(readOnly ? { readOnly } : {}),
  };
}

export interface RuntimeParts {
  orm: MikroORM;
  bus: EventBus;
  logger: Logger;
  /** The subgraph's slice (`subgraphConfig(name, platformConfig)`). */
  config: SubgraphConfig;
  outbox?: OutboxRelayOptions;
}

/** A subgraph's runtime with its outbox relay started: events its transactions commit reach the bus. */
export function createSubgraphRuntime(module: SubgraphModule<any>, parts: RuntimeParts): SubgraphRuntime {
  const outbox = new OutboxRelay(parts.orm, parts.bus, { logger: parts.logger, ...parts.outbox }).start();
  return {
    name: module.name,
    orm: parts.orm,
    bus: parts.bus,
    logger: parts.logger,
    config: parts.config,
    outbox,
    stopHooks: [],
  };
}

/**
 * Stops what the subgraph started (its stop hooks, last first), then the relay (pending events stay in the outbox
 * for the next start), then closes the ORM.
 */
export async function stopSubgraphRuntime(runtime: SubgraphRuntime): Promise<void> {
  for (const hook of runtime.stopHooks.splice(0).reverse()) await hook();
  await runtime.outbox.stop();
  await runtime.orm.close(true);
}
