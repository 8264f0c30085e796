// Distributed topology: each subgraph is its own service. Fetches go over HTTP; a subscription opens its own
// graphql-ws connection carrying the signed identity (and the delegated one), closed as soon as the subscription
// ends.
import type { ExecutionResult } from 'graphql';
import type { SubgraphName } from '@sting/kit/subgraph/names.ts';
import { injectTraceContext } from '@sting/kit/tracing/index.ts';
import { RemoteSubgraphSource } from '../datasources/remote-subgraph-source.ts';
import type { AssertionSigner } from '../identity/assertion-signer.ts';
import { graphqlWsUpstreams } from '../subscriptions/graphql-ws-upstream.ts';
import type { FetchObserver, SubgraphEndpoint } from './endpoint.ts';

function upstreamFailure(error: unknown): ExecutionResult {
  const code = (error as { code?: number }).code;
  // 4403 is graphql-ws' "Forbidden": the subgraph refused the assertion in connection_init.
  const refused = code === 4403;
  return {
    errors: [
      {
        message: refused ? 'Invalid identity assertion' : 'Subscription source unavailable',
        extensions: { code: refused ? 'UNAUTHENTICATED' : 'INTERNAL_SERVER_ERROR' },
      },
    ] as unknown as ExecutionResult['errors'],
  };
}

export function remoteEndpoint(
  name: SubgraphName,
  url: string,
  signer: AssertionSigner,
  observe?: FetchObserver,
): SubgraphEndpoint {
  const upstreams = graphqlWsUpstreams(url, upstreamFailure);
  return {
    name,
    dataSource: new RemoteSubgraphSource(name, url, signer, observe),
    async subscribe(request, context) {
      const { viewer, requestId } = context;
      const identity = await signer.sign(name, viewer, requestId);
      // As a query's fetch carries the person's delegated assertion (chat checks an answer's citations with
      // knowledge at each event), so does the subscription, renewed by a ping while it is open.
      const delegatedIdentity = await signer.delegate(name, viewer, requestId);
      // The subscription's trace continues in the subgraph through connection_init (`traceparent`).
      const connectionParams = injectTraceContext({
        identity,
        requestId,
        ...(delegatedIdentity ? { delegatedIdentity } : {}),
      });
      return upstreams.open(request, {
        connectionParams,
        ...(delegatedIdentity
          ? {
              whileConnected: (ping) =>
                signer.renewDelegation(name, viewer, requestId, (token) =>
                  ping({ delegatedIdentity: token }),
                ),
            }
          : {}),
      });
    },
    openSubscriptions: () => upstreams.openConnections(),
  };
}
