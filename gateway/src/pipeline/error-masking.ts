// Stage 8, error masking, the one place for every front door: typed errors keep their code and message, anything
// else becomes an unexplained INTERNAL_SERVER_ERROR (logged here with its request id and cause), subgraph internals
// (service names, stack traces) stay inside, and with schema details hidden (production) no "Did you mean …?".
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { ErrorCode, maskError } from '@sting/kit/errors.ts';
import type { GatewayContext } from '../context.ts';

export interface MaskingOptions {
  /** Drop "Did you mean …?" suggestions, which reveal the schema (on when introspection is off). */
  hideSchemaDetails?: boolean;
}

const SUGGESTION = /\s*Did you mean[^?]*\?/g;

export function maskGatewayError(
  formatted: GraphQLFormattedError,
  error: unknown,
  options: MaskingOptions = {},
): GraphQLFormattedError {
  let masked = maskError(formatted, error);
  if (options.hideSchemaDetails) {
    const message = masked.message.replace(SUGGESTION, '');
    if (message !== masked.message) masked = { ...masked, message };
  }
  if (!masked.extensions) return masked;
  // Added by @apollo/gateway to errors relayed from a subgraph: which service failed is not the client's business.
  const { serviceName: _service, ...extensions } = masked.extensions as Record<string, unknown>;
  return { ...masked, extensions };
}

/** Masks errors for a front door outside Apollo (graphql-ws), naming the request and logging what was masked. */
export function maskErrors(
  errors: readonly unknown[],
  requestId: string,
  logger: Pick<Logger, 'error'>,
  options: MaskingOptions = {},
): GraphQLFormattedError[] {
  return errors.map((error) => {
    const formatted = error instanceof GraphQLError ? error.toJSON() : (error as GraphQLFormattedError);
    const masked = maskGatewayError(formatted, error, options);
    if (masked.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR) logInternal(logger, error, requestId);
    return { ...masked, extensions: { ...masked.extensions, requestId } };
  });
}

function logInternal(logger: Pick<Logger, 'error'>, error: unknown, requestId: string) {
  const cause = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  logger.error({ err: cause, requestId }, 'internal server error');
}

/**
 * Logs every error Apollo will mask as INTERNAL_SERVER_ERROR with its request id, and makes sure no response is
 * `data: null` without errors (a client could not tell that from "nothing there").
 */
export function errorMaskingPlugin(
  logger: Logger,
  options: MaskingOptions = {},
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ contextValue, errors }) {
          for (const error of errors) {
            const masked = maskGatewayError(error.toJSON(), error, options);
            if (masked.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR)
              logInternal(logger, error, contextValue.requestId);
          }
        },
        async willSendResponse({ contextValue, response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (result.data !== null || result.errors?.length) return;
          logger.error({ requestId: contextValue.requestId }, 'operation answered data: null without errors');
          result.errors = [
            { message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } },
          ];
        },
      };
    },
  };
}
