// Apollo Server over the federated gateway; its plugins are the pipeline's GraphQL stages (pipeline/stages.ts).
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Logger } from 'pino';
import type { GatewayContext } from './context.ts';
import type { Federation } from './federation.ts';
import type { AuditSink } from './pipeline/audit.ts';
import { maskGatewayError } from './pipeline/error-masking.ts';
import { graphqlPlugins } from './pipeline/stages.ts';
import { graphqlOverHttpPlugin, schemaIntrospectionRules } from './graphql-over-http.ts';
import type { SessionCookieOptions } from './plugins/session-cookie.ts';
import type { Protection } from './protection.ts';
import type { UserChangeFollowers } from './identity/user-changes.ts';

export function createApolloServer(
  federation: Federation,
  logger: Logger,
  // No session cookie options: the identity provider keeps its own cookie, and the gateway leaves it alone.
  options: {
    introspection: boolean;
    sessionCookie?: SessionCookieOptions;
    protection?: Protection;
    audit?: AuditSink;
    userChanges?: UserChangeFollowers;
  },
): ApolloServer<GatewayContext> {
  const masking = { hideSchemaDetails: !options.introspection };
  const limits = options.protection?.limits;
  return new ApolloServer<GatewayContext>({
    gateway: federation.gateway,
    logger,
    // Off means `__schema` refused and `__type` answering null (graphql-over-http.ts), not Apollo's blanket refusal.
    introspection: true,
    formatError: (formatted, error) => maskGatewayError(formatted, error, masking),
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: masking.hideSchemaDetails,
    validationRules: schemaIntrospectionRules(options.introspection),
    ...(limits ? { parseOptions: { maxTokens: limits.maxTokens } } : {}),
    // The launcher owns shutdown order (gateway, then subgraphs, then services); Apollo must not race it.
    stopOnTerminationSignals: false,
    plugins: [
      // Never Apollo's landing page (it loads from a CDN): the router serves the bundled playground, or nothing.
      ApolloServerPluginLandingPageDisabled(),
      graphqlOverHttpPlugin({ introspection: options.introspection }),
      ...graphqlPlugins({
        protection: options.protection,
        audit: options.audit,
        logger,
        masking,
        sessionCookie: options.sessionCookie,
        userChanges: options.userChanges,
      }),
    ],
  });
}
