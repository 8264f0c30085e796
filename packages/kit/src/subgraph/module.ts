// The contract between a subgraph package and the runtime that hosts it (in the gateway's process for the
// embedded topology, or as its own HTTP + graphql-ws service for the distributed one).
import type { DocumentNode } from 'graphql';
import type { GraphQLResolverMap } from '@apollo/subgraph';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { EventBus } from '../bus/event-bus.ts';
import type { ClientInfo } from '../identity/assertion.ts';
import type { SubgraphPeers } from './peers.ts';
import type { OutboxRelay } from '../outbox/relay.ts';
import type { SubgraphConfig } from './config.ts';
import type { SubgraphName } from './names.ts';
import type { ApiKeyScope } from '../policy/scopes.ts';

export type { SubgraphName };

export const Roles = ['ADMIN', 'MEMBER', 'VIEWER'] as const;
export type Role = (typeof Roles)[number];

/**
 * An API key a request came with: the key's id, the scopes it holds and, when it is restricted to some honey
 * jars, their ids (it may touch no other jar).
 */
export interface ViewerApiKey {
  id: string;
  scopes: readonly ApiKeyScope[];
  honeyJarIds?: readonly string[];
}

/**
 * Who is asking, as asserted by the gateway. `SYSTEM` is the gateway itself (internal calls only). A user's
 * `sessionId` names the session the request came with, when it came with one. A request made with an API key is
 * its owner (their id and role, so the owner's rules still apply) plus `apiKey`, which only narrows them.
 */
export type Viewer =
  | {
      kind: 'user';
      id: string;
      role: Role;
      email?: string;
      displayName?: string;
      sessionId?: string;
      /** Present when the caller authenticated with an API key. */
      apiKey?: ViewerApiKey;
    }
  | { kind: 'system' };

/** What a hosted subgraph can use for its whole life; `N` narrows it to one subgraph (its config slice). */
export interface SubgraphRuntime<N extends SubgraphName = SubgraphName> {
  name: N;
  orm: MikroORM;
  bus: EventBus;
  logger: Logger;
  /** This subgraph's slice of the validated, frozen platform configuration (see config.ts). */
  config: SubgraphConfig<N>;
  /** Calls to other subgraphs on a person's behalf (see peers.ts); absent where none are reachable. */
  peers?: SubgraphPeers;
  /** Publishes the events this subgraph's transactions wrote to its outbox (see `enqueueEvent`). */
  outbox: OutboxRelay;
  /** Work the subgraph started (timers, watchers) and stops before its connections close, last registered first. */
  stopHooks: (() => Promise<void> | void)[];
}

/** Per-request context every resolver receives. */
export interface SubgraphContext<Loaders = Record<string, unknown>, N extends SubgraphName = SubgraphName> {
  viewer: Viewer | null;
  requestId: string;
  /** Forked per request: the identity map never leaks between requests. */
  em: EntityManager;
  bus: EventBus;
  logger: Logger;
  loaders: Loaders;
  runtime: SubgraphRuntime<N>;
  /** The gateway's assertion of the same viewer for the one subgraph this one may ask on their behalf. */
  delegatedIdentity?: string;
  /** Another subgraph asks on the viewer's behalf, with a read-only (delegated) assertion: queries only. */
  readOnly?: boolean;
  /** What the gateway saw of the caller's client (address, user agent): for session lists and audit records. */
  client?: ClientInfo;
}

export interface SubgraphModule<Loaders = Record<string, unknown>> {
  name: SubgraphName;
  /** PostgreSQL schema this subgraph owns, e.g. `honey_jars`. */
  dbSchema: string;
  typeDefs: DocumentNode;
  resolvers: GraphQLResolverMap<SubgraphContext<Loaders>>;
  /** MikroORM entity definitions (defineEntity / EntitySchema). */
  entities: unknown[];
  /** Absolute path of the folder holding this subgraph's migrations. */
  migrationsPath: string;
  /**
   * Builds the request's DataLoaders (fresh per request, batching per tick). A request has one viewer, so a
   * loader whose answer depends on who asks can take it here.
   */
  createLoaders(em: EntityManager, runtime: SubgraphRuntime, viewer: Viewer | null): Loaders;
  /** Runs once after migrations, e.g. to create the first admin. */
  onStart?(runtime: SubgraphRuntime): Promise<void>;
}
