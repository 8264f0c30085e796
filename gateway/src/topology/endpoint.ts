// How the gateway reaches one subgraph, whatever the topology: a data source for query-plan fetches and a way
// to open a subscription's primary fetch. Nothing above this interface knows where the subgraph runs.
import type { ExecutionResult } from 'graphql';
import type { GraphQLDataSource } from '@apollo/gateway';
import type { SubgraphName } from '@sting/kit/subgraph/names.ts';
import type { SubgraphRequest } from '@sting/kit/subgraph/host.ts';
import type { GatewayContext } from '../context.ts';

/** A live upstream subscription; `return()` closes it (socket, bus listener) for good. */
export type UpstreamEvents = AsyncGenerator<ExecutionResult, unknown, unknown>;

export interface SubgraphEndpoint {
  name: SubgraphName;
  dataSource: GraphQLDataSource<GatewayContext>;
  /** Opens a subscription as the context's viewer: events, or a single result carrying why it was refused. */
  subscribe(request: SubgraphRequest, context: GatewayContext): Promise<UpstreamEvents | ExecutionResult>;
  /** Upstream subscriptions currently open (leak checks). */
  openSubscriptions(): number;
  close?(): Promise<void>;
}

/** Called once per subgraph fetch; tests count fetches with it, metrics could too. */
export type FetchObserver = (subgraph: SubgraphName, request: SubgraphRequest) => void;

export function isEventStream<T extends AsyncIterator<ExecutionResult>>(
  value: T | ExecutionResult,
): value is T {
  return typeof (value as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function';
}
