// Generic mode: one subgraph of a supergraph that is not STING's, at the URL its join__Graph entry names. No
// identity assertion is signed (the subgraph would not know the key); the caller's forwarded headers travel
// instead, on every fetch and on the subscription's graphql-ws connection.
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { REQUEST_ID_HEADER } from '@sting/kit/identity/headers.ts';
import type { SubgraphName } from '@sting/kit/subgraph/names.ts';
import type { ExecutionResult } from 'graphql';
import type { GatewayContext } from '../context.ts';
import { graphqlWsUpstreams } from '../subscriptions/graphql-ws-upstream.ts';
import type { FetchObserver, SubgraphEndpoint } from '../topology/endpoint.ts';
import { FetchingSource } from '../datasources/fetching-source.ts';

class ForwardingSource extends FetchingSource {
  readonly #name: SubgraphName;
  readonly #observe: FetchObserver | undefined;

  constructor(name: SubgraphName, url: string, observe?: FetchObserver) {
    super(url);
    this.#name = name;
    this.#observe = observe;
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    const { query = '', variables, operationName } = options.request;
    this.#observe?.(this.#name, { query, variables, operationName });
    const context = options.context as Partial<GatewayContext>;
    const headers = options.request.http?.headers;
    if (!headers) return;
    for (const [name, value] of Object.entries(context.forwardedHeaders ?? {})) headers.set(name, value);
    if (context.requestId) headers.set(REQUEST_ID_HEADER, context.requestId);
  }
}

function upstreamFailure(error: unknown): ExecutionResult {
  // The subgraph answered the subscription with GraphQL errors of its own (graphql-ws `error` message).
  if (Array.isArray(error)) return { errors: error } as unknown as ExecutionResult;
  const code = (error as { code?: number }).code;
  // 4403 is graphql-ws' "Forbidden": the subgraph refused what was forwarded in connection_init.
  const refused = code === 4403 || code === 4401;
  return {
    errors: [
      {
        message: refused
          ? 'The subscription source refused the connection'
          : 'Subscription source unavailable',
        extensions: { code: refused ? 'UNAUTHENTICATED' : 'INTERNAL_SERVER_ERROR' },
      },
    ] as unknown as ExecutionResult['errors'],
  };
}

export function forwardingEndpoint(name: string, url: string, observe?: FetchObserver): SubgraphEndpoint {
  // A foreign supergraph names its own subgraphs; STING's names type nothing here beyond logs and metrics.
  const subgraph = name as SubgraphName;
  const upstreams = graphqlWsUpstreams(url, upstreamFailure);
  return {
    name: subgraph,
    dataSource: new ForwardingSource(subgraph, url, observe),
    async subscribe(request, context) {
      const forwarded = { ...context.forwardedHeaders };
      // Headers on the upgrade for subgraphs that read them there, the same in connection_init for the others.
      return upstreams.open(request, { headers: forwarded, connectionParams: forwarded });
    },
    openSubscriptions: () => upstreams.openConnections(),
  };
}
