// The one way non-GraphQL front doors (REST compatibility routes) run an operation: through the gateway's own
// pipeline, so sessions, identity assertions, limits and error masking apply exactly as on /graphql.
import type { IncomingHttpHeaders } from 'node:http';
import type { GraphQLFormattedError } from 'graphql';

export interface Operation {
  query: string;
  operationName?: string;
  variables?: Record<string, unknown>;
  /** The caller's HTTP headers: the session travels in `authorization` or the `sting_session` cookie. */
  headers: IncomingHttpHeaders;
  requestId: string;
  /** The caller's socket address (per-client rate limits). */
  remoteAddress?: string;
}

export interface OperationResult {
  data?: unknown;
  errors?: readonly GraphQLFormattedError[];
  /** Response headers the pipeline wants the caller to get (e.g. `set-cookie` clearing a stale session). */
  headers?: Record<string, string>;
}

export type OperationRunner = (op: Operation) => Promise<OperationResult>;
