// Apollo Server over the federated gateway, assembled from one plugin per cross-cutting concern.
import { ApolloServer } from '@apollo/server';
import type { Logger } from 'pino';
import type { GatewayContext } from './context.ts';
import type { Federation } from './federation.ts';
import { maskGatewayError } from './plugins/error-masking.ts';
import { protectionPlugins, type Protection } from './protection.ts';
import { requestIdPlugin } from './plugins/request-id.ts';
import { sessionCookiePlugin, type SessionCookieOptions } from './plugins/session-cookie.ts';
import { subscriptionsOverWebSocketPlugin } from './plugins/subscriptions-over-websocket.ts';

export function createApolloServer(
  federation: Federation,
  logger: Logger,
  // No session cookie options: the identity provider keeps its own cookie, and the gateway leaves it alone.
  options: { introspection: boolean; sessionCookie?: SessionCookieOptions; protection?: Protection },
): ApolloServer<GatewayContext> {
  return new ApolloServer<GatewayContext>({
    gateway: federation.gateway,
    logger,
    introspection: options.introspection,
    formatError: maskGatewayError,
    includeStacktraceInErrorResponses: false,
    // The launcher owns shutdown order (gateway, then subgraphs, then services); Apollo must not race it.
    stopOnTerminationSignals: false,
    plugins: [
      requestIdPlugin(),
      ...(options.sessionCookie ? [sessionCookiePlugin(options.sessionCookie)] : []),
      subscriptionsOverWebSocketPlugin(),
      ...protectionPlugins(options.protection),
    ],
  });
}
