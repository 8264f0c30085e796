// A subscription's primary fetch to a subgraph over graphql-ws: one connection per upstream subscription, opened
// lazily and closed as soon as the subscription ends, counted so leak checks can see what is still open.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { ExecutionResult } from 'graphql';
import type { SubgraphRequest } from '@sting/kit/subgraph/host.ts';
import type { UpstreamEvents } from '../topology/endpoint.ts';
import { eventStream } from './event-stream.ts';

export interface GraphQLWsUpstreams {
  /**
   * `headers` go on the connection's HTTP upgrade; `connectionParams` into `connection_init`. `whileConnected` runs
   * once the connection is acknowledged, with a way to send a `ping` carrying a payload (what changes while it is
   * open, such as a renewed assertion); what it returns runs when the connection closes.
   */
  open(
    request: SubgraphRequest,
    connection: {
      connectionParams?: Record<string, unknown>;
      headers?: Record<string, string>;
      whileConnected?: (ping: (payload: Record<string, unknown>) => void) => () => void;
    },
  ): UpstreamEvents;
  /** Connections currently open. */
  openConnections(): number;
}

/** `failure` turns a connection or protocol error into the last event a subscriber receives. */
export function graphqlWsUpstreams(
  httpUrl: string,
  failure: (error: unknown) => ExecutionResult,
): GraphQLWsUpstreams {
  const url = httpUrl.replace(/^http/, 'ws');
  let openSockets = 0;
  return {
    open(request, connection) {
      const headers = connection.headers;
      let socketOpen = false;
      let disconnected: (() => void) | undefined;
      const client = createClient({
        url,
        webSocketImpl:
          headers && Object.keys(headers).length > 0
            ? class extends WebSocket {
                constructor(address: string, protocols?: string | string[]) {
                  super(address, protocols, { headers });
                }
              }
            : WebSocket,
        connectionParams: connection.connectionParams,
        retryAttempts: 0,
        lazy: true,
        lazyCloseTimeout: 0,
        on: {
          opened: () => {
            socketOpen = true;
            openSockets++;
          },
          connected: (socket) => {
            const ws = socket as WebSocket;
            disconnected = connection.whileConnected?.((payload) => {
              if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'ping', payload }));
            });
          },
          closed: () => {
            if (socketOpen) openSockets--;
            socketOpen = false;
            disconnected?.();
            disconnected = undefined;
          },
        },
      });
      const events = client.iterate({
        query: request.query,
        variables: request.variables ?? undefined,
        operationName: request.operationName ?? undefined,
      });
      return eventStream(events as AsyncIterator<ExecutionResult>, {
        onError: failure,
        onClose: () => void client.dispose(),
      });
    },
    openConnections: () => openSockets,
  };
}
