// Stage 1, request id: the one place a request id is chosen (a well-formed `x-request-id` from the caller, else a
// new one). Every response names it (header and each error's extensions), so a user's report matches the logs.
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context.ts';

export const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;

/** The caller's `x-request-id` when it is safe to log and echo, else a fresh one. */
export function requestIdOf(headers: IncomingHttpHeaders = {}): string {
  const header = headers['x-request-id'];
  return typeof header === 'string' && REQUEST_ID_PATTERN.test(header) ? header : randomUUID();
}

export function requestIdPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const requestId = contextValue.requestId;
          response.http.headers.set('x-request-id', requestId);
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) => ({
            ...error,
            extensions: { ...error.extensions, requestId },
          }));
        },
      };
    },
  };
}
