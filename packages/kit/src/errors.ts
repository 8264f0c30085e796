// Typed errors for every layer, and the one place they are mapped to GraphQL `extensions.code` and to the
// REST error shape. Anything that is not a StingError reaches a client as INTERNAL_SERVER_ERROR, unexplained.
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  RATE_LIMITED: 'RATE_LIMITED',
  /** Signing in needs the second factor (a TOTP or recovery code) too; no session was made. */
  SECOND_FACTOR_REQUIRED: 'SECOND_FACTOR_REQUIRED',
  /** The operation needs a session that proved a second factor recently: confirm with one, then retry. */
  STEP_UP_REQUIRED: 'STEP_UP_REQUIRED',
  /** A part of the platform (a subgraph) cannot be reached just now; the rest of the answer stands. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const HTTP_STATUS: Record<ErrorCode, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  SECOND_FACTOR_REQUIRED: 401,
  STEP_UP_REQUIRED: 403,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
};

/** Codes produced by graphql-js / Apollo itself for malformed requests; they are the client's fault. */
const CLIENT_REQUEST_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  // Automatic persisted queries: a client that sent a hash alone sends the query with it next.
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/**
 * An error Apollo Server raised about the request itself, with a 4xx status but no code (a persisted query's
 * unsupported version, or a hash that is not the query's): the client's mistake, answered as BAD_REQUEST.
 */
function isCodelessRequestError(error: unknown): error is GraphQLError {
  if (!(error instanceof GraphQLError) || error.originalError || error.path) return false;
  if (error.extensions?.code !== undefined) return false;
  const status = (error.extensions?.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

export class StingError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
  get httpStatus(): number {
    return HTTP_STATUS[this.code];
  }
}

export class UnauthenticatedError extends StingError {
  constructor(message = 'Sign in to do this') {
    super(ErrorCode.UNAUTHENTICATED, message);
  }
}
export class ForbiddenError extends StingError {
  constructor(message = 'You are not allowed to do this') {
    super(ErrorCode.FORBIDDEN, message);
  }
}
/** Longer than any id the platform makes: a longer "id" is shown cut, not echoed back whole. */
const SHOWN_ID_MAX = 64;

export class NotFoundError extends StingError {
  constructor(what: string, id?: string) {
    const characters = [...(id ?? '')];
    const shown = characters.length > SHOWN_ID_MAX ? `${characters.slice(0, SHOWN_ID_MAX).join('')}…` : id;
    super(ErrorCode.NOT_FOUND, shown ? `${what} ${shown} was not found` : `${what} was not found`);
  }
}
export class BadUserInputError extends StingError {
  constructor(message: string, field?: string) {
    super(ErrorCode.BAD_USER_INPUT, message, field ? { field } : undefined);
  }
}
export class SecondFactorRequiredError extends StingError {
  constructor(message = 'Enter the code from your authenticator app, or a recovery code') {
    super(ErrorCode.SECOND_FACTOR_REQUIRED, message);
  }
}
export class StepUpRequiredError extends StingError {
  constructor(message = 'Confirm with your second factor first, then try again') {
    super(ErrorCode.STEP_UP_REQUIRED, message);
  }
}
export class ServiceUnavailableError extends StingError {
  constructor(service: string) {
    super(ErrorCode.SERVICE_UNAVAILABLE, `${service} is unavailable just now; try again shortly`, {
      service,
    });
  }
}
export class RateLimitedError extends StingError {
  constructor(retryAfterSeconds: number) {
    super(ErrorCode.RATE_LIMITED, `Too many requests; retry in ${retryAfterSeconds}s`, { retryAfterSeconds });
  }
}

export function httpStatusFor(code: string | undefined): number {
  if (code && code in HTTP_STATUS) return HTTP_STATUS[code as ErrorCode];
  if (code && CLIENT_REQUEST_CODES.has(code)) return 400;
  return 500;
}

/** Turns any thrown value into a GraphQLError a client may see. */
export function toGraphQLError(err: unknown, requestId?: string): GraphQLError {
  const original = err instanceof GraphQLError && err.originalError ? err.originalError : err;
  if (original instanceof StingError) {
    return new GraphQLError(original.message, {
      extensions: { code: original.code, ...(original.details ?? {}), ...(requestId ? { requestId } : {}) },
    });
  }
  return new GraphQLError('Internal server error', {
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, ...(requestId ? { requestId } : {}) },
  });
}

/**
 * `formatError` for Apollo Server and subgraphs: keeps typed errors and client-request errors, masks the rest,
 * and strips stack traces in every case.
 */
export function maskError(
  formatted: GraphQLFormattedError,
  error: unknown,
  requestId?: string,
): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const code = formatted.extensions?.code as string | undefined;
  const withId = (ext: Record<string, unknown>) => (requestId ? { ...ext, requestId } : ext);
  if (original instanceof StingError) {
    return {
      message: original.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: withId({ code: original.code, ...(original.details ?? {}) }),
    };
  }
  if (isCodelessRequestError(original))
    return {
      message: original.message,
      locations: formatted.locations,
      extensions: withId({ code: 'BAD_REQUEST' }),
    };
  if (code && (code in HTTP_STATUS || CLIENT_REQUEST_CODES.has(code)) && code !== 'INTERNAL_SERVER_ERROR') {
    const {
      stacktrace: _s,
      exception: _e,
      ...rest
    } = (formatted.extensions ?? {}) as Record<string, unknown>;
    return { ...formatted, extensions: withId(rest) };
  }
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: withId({ code: ErrorCode.INTERNAL_SERVER_ERROR }),
  };
}

export type RestErrorBody = {
  error: { code: string; message: string; timestamp: string; request_id: string };
};

/** The REST compatibility error shape with its HTTP status. */
export function toRestError(
  err: { code?: string; message: string } | GraphQLFormattedError,
  requestId: string,
): { status: number; body: RestErrorBody } {
  const code =
    ('extensions' in err ? (err.extensions?.code as string | undefined) : (err as { code?: string }).code) ??
    ErrorCode.INTERNAL_SERVER_ERROR;
  const status = httpStatusFor(code);
  const publicCode = status === 400 && !(code in HTTP_STATUS) ? ErrorCode.BAD_USER_INPUT : code;
  return {
    status,
    body: {
      error: {
        code: publicCode,
        message: status === 500 ? 'Internal server error' : err.message,
        timestamp: new Date().toISOString(),
        request_id: requestId,
      },
    },
  };
}
