// Subscriptions are served over graphql-ws only; over plain HTTP they get a clear client error instead of
// reaching @apollo/gateway's executor, which cannot run them.
import { GraphQLError } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context.ts';

export function subscriptionsOverWebSocketPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'subscription') return;
          throw new GraphQLError('Subscriptions are served over graphql-ws on /graphql', {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          });
        },
      };
    },
  };
}
