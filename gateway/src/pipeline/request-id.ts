// Every response names its request id (header and each error's extensions), so a user's report can be matched
// to the logs of the gateway and of every subgraph the request touched.
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context.ts';

export const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;

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
