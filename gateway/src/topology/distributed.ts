// Distributed topology: each subgraph is its own service. Fetches go over HTTP; a subscription opens its own
// graphql-ws connection carrying the signed identity, closed as soon as the subscription ends.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { ExecutionResult } from 'graphql';
import type { SubgraphName } from '@sting/kit';
import { RemoteSubgraphSource } from '../datasources/remote-subgraph-source.ts';
import type { AssertionSigner } from '../identity/assertion-signer.ts';
import { eventStream } from '../subscriptions/event-stream.ts';
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
  const wsUrl = url.replace(/^http/, 'ws');
  let openSockets = 0;
  return {
    name,
    dataSource: new RemoteSubgraphSource(name, url, signer, observe),
    async subscribe(request, context) {
      const identity = await signer.sign(name, context.viewer, context.requestId);
      let socketOpen = false;
      const client = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: { identity, requestId: context.requestId },
        retryAttempts: 0,
        lazy: true,
        lazyCloseTimeout: 0,
        on: {
          opened: () => {
            socketOpen = true;
            openSockets++;
          },
          closed: () => {
            if (socketOpen) openSockets--;
            socketOpen = false;
          },
        },
      });
      const events = client.iterate({
        query: request.query,
        variables: request.variables ?? undefined,
        operationName: request.operationName ?? undefined,
      });
      return eventStream(events as AsyncIterator<ExecutionResult>, {
        onError: upstreamFailure,
        onClose: () => void client.dispose(),
      });
    },
    openSubscriptions: () => openSockets,
  };
}
