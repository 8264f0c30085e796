// Per-client request budgets: each signed-in user (else each client address) gets `requestsPerMinute`, and
// `login` has its own stricter bucket per address and email so passwords cannot be guessed at full speed.
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { ErrorCode, RateLimitedError, type RateLimiter } from '@sting/kit';
import type { GatewayContext } from '../context.ts';

export interface RateLimitOptions {
  enabled: boolean;
  requestsPerMinute: number;
  loginPerMinute: number;
  limiter: RateLimiter;
}

/** RATE_LIMITED with HTTP 429 and `Retry-After` (REST answers the same from `retryAfterSeconds`). */
export function rateLimitedError(retryAfterSeconds: number): GraphQLError {
  const original = new RateLimitedError(retryAfterSeconds);
  return new GraphQLError(original.message, {
    originalError: original,
    extensions: {
      code: ErrorCode.RATE_LIMITED,
      retryAfterSeconds,
      http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
    },
  });
}

/** The email a `login` mutation signs in with (literal or variable), lower-cased; undefined when not a login. */
export function loginEmail(
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): string | undefined {
  if (operation.operation !== 'mutation') return undefined;
  const login = operation.selectionSet.selections.find(
    (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === 'login',
  );
  if (!login) return undefined;
  const argument = login.arguments?.find((a) => a.name.value === 'email')?.value;
  const value =
    argument?.kind === Kind.VARIABLE
      ? variables?.[argument.name.value]
      : argument?.kind === Kind.STRING
        ? argument.value
        : undefined;
  return typeof value === 'string' ? value.trim().toLowerCase() : '';
}

export function rateLimitPlugin(options: RateLimitOptions): ApolloServerPlugin<GatewayContext> {
  if (!options.enabled) return {};
  const perMinute = (limit: number) => ({ limit, windowSeconds: 60 });
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, request, logger }) {
          const address = contextValue.clientAddress ?? 'unknown';
          const client =
            contextValue.viewer?.kind === 'user' ? `user:${contextValue.viewer.id}` : `ip:${address}`;
          const email = operation ? loginEmail(operation, request.variables) : undefined;
          let retryAfter = 0;
          try {
            const overall = await options.limiter.consume(
              `requests:${client}`,
              perMinute(options.requestsPerMinute),
            );
            if (!overall.allowed) retryAfter = overall.retryAfterSeconds;
            else if (email !== undefined) {
              const login = await options.limiter.consume(
                `login:${address}:${email}`,
                perMinute(options.loginPerMinute),
              );
              if (!login.allowed) retryAfter = login.retryAfterSeconds;
            }
          } catch (err) {
            // A limiter outage (Redis away) must not take the API down with it: serve, and say so.
            logger.warn(`rate limiter unavailable; request served unlimited: ${(err as Error).message}`);
            return;
          }
          if (retryAfter > 0) throw rateLimitedError(retryAfter);
        },
      };
    },
  };
}
