// Per-client request budgets: each API key, each signed-in user (else each client address) gets
// `requestsPerMinute`, and every `login` field that will execute spends from its own stricter bucket per address and
// email, so passwords cannot be guessed at full speed, however the mutation is written (aliases, inline fragments, named fragments).
import { createHmac, randomBytes } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { Logger } from 'pino';
import { ErrorCode, RateLimitedError } from '@sting/kit/errors.ts';
import type { RateLimiter } from '@sting/kit/rate-limit/rate-limiter.ts';
import type { Viewer } from '@sting/kit/subgraph/module.ts';
import type { GatewayContext } from '../context.ts';
import { argumentValue, executedRootFields } from '@sting/kit/graphql/root-fields.ts';

export interface RateLimitOptions {
  enabled: boolean;
  requestsPerMinute: number;
  loginPerMinute: number;
  limiter: RateLimiter;
  /**
   * Key of the hash that stands for an email in bucket names (Redis keys never hold the email itself). Replicas
   * sharing Redis must share it; default a random key of this process.
   */
  hashKey?: Buffer | string;
}

/** RATE_LIMITED with HTTP 429 and `Retry-After` (REST answers the same from `retryAfterSeconds`). */
export function rateLimitedError(retryAfterSeconds: number): GraphQLError {
  const original = new RateLimitedError(retryAfterSeconds);
  const error = new GraphQLError(original.message, {
    originalError: original,
    extensions: { code: ErrorCode.RATE_LIMITED, retryAfterSeconds },
  });
  // Apollo Server reads `http.headers` as a Map. Set apart from the typed options: another library's declaration
  // of the extensions type (graphql-yoga's, where headers are a record) would otherwise clash in a shared program.
  (error.extensions as Record<string, unknown>).http = {
    status: 429,
    headers: new Map([['retry-after', String(retryAfterSeconds)]]),
  };
  return error;
}

/**
 * The email of every `login` that will execute in a mutation (literal or variable, lower-cased; '' when absent),
 * one entry per login field: ten aliased logins are ten guesses.
 */
export function loginEmails(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): string[] {
  if (operation.operation !== 'mutation') return [];
  return executedRootFields(document, operation, variables)
    .filter((field) => field.name.value === 'login')
    .map((field) => {
      const value = argumentValue(field, 'email', variables);
      return typeof value === 'string' ? value.trim().toLowerCase() : '';
    });
}

const perMinute = (limit: number) => ({ limit, windowSeconds: 60 });

/**
 * Whose budget a request spends: an API key's own (`key:<id>`, so a script running flat out never starves its
 * owner's browser), a person's, or an anonymous caller's address.
 */
export function clientBucket(viewer: Viewer | null, address: string): string {
  if (viewer?.kind !== 'user') return `ip:${address}`;
  return viewer.apiKey ? `key:${viewer.apiKey.id}` : `user:${viewer.id}`;
}

/** Spends budgets for one request; the seconds to wait when one is exhausted, 0 when allowed. */
export type RequestBudget = (context: GatewayContext, loginEmails?: readonly string[]) => Promise<number>;

export function requestBudget(options: RateLimitOptions, logger?: Pick<Logger, 'warn'>): RequestBudget {
  const hashKey = options.hashKey ?? randomBytes(32);
  const emailKey = (email: string) => createHmac('sha256', hashKey).update(email).digest('base64url');
  return async (context, emails = []) => {
    if (!options.enabled) return 0;
    const address = context.clientAddress ?? 'unknown';
    const client = clientBucket(context.viewer, address);
    try {
      const overall = await options.limiter.consume(
        `requests:${client}`,
        perMinute(options.requestsPerMinute),
      );
      if (!overall.allowed) return overall.retryAfterSeconds;
      let retryAfter = 0;
      for (const email of emails) {
        const login = await options.limiter.consume(
          `login:${address}:${emailKey(email)}`,
          perMinute(options.loginPerMinute),
        );
        if (!login.allowed) retryAfter = Math.max(retryAfter, login.retryAfterSeconds);
      }
      return retryAfter;
    } catch (err) {
      // A limiter outage (Redis away) must not take the API down with it: serve, and say so.
      logger?.warn(`rate limiter unavailable; request served unlimited: ${(err as Error).message}`);
      return 0;
    }
  };
}

/** `budget` is shared with the HTTP stages (one set of buckets per gateway); default its own. */
export function rateLimitPlugin(
  options: RateLimitOptions,
  budget: RequestBudget = requestBudget(options),
): ApolloServerPlugin<GatewayContext> {
  if (!options.enabled) return {};
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, operation, request }) {
          // Taking back a write of the same request, which spent the budget already (see HttpCall.undoOperation).
          if (contextValue.unmetered) return;
          const emails = operation ? loginEmails(document, operation, request.variables) : [];
          const retryAfter = await budget(contextValue, emails);
          if (retryAfter > 0) throw rateLimitedError(retryAfter);
        },
      };
    },
  };
}
