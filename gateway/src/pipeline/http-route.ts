// What a plain HTTP handler (upload, staged PUT, download, server-sent events, the REST routes) declares and what
// it is handed once the pipeline's stages have run. See stages.ts for the order and how to register a route.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Viewer } from '@sting/kit/subgraph/module.ts';
import type { GatewayContext } from '../context.ts';
import type { OperationResult } from '../operation-runner.ts';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpRoute {
  /** Names the route in metrics and audit records, e.g. `documents.upload`. */
  name: string;
  method: HttpMethod | readonly HttpMethod[];
  /** `/api/v1/honey-pots/:id/documents`: `:name` segments become `params`; a trailing `/*` matches any rest. */
  path: string;
  /**
   * Path parameters that are credentials (a staged upload's token): where the request's path is recorded (the
   * audit record's default target, the request's span) the route's template stands in for it.
   */
  secretParams?: readonly string[];
  /** `required` (default): anonymous callers get 401 before the handler runs. */
  viewer?: 'required' | 'optional';
  /** Body types a POST/PUT/PATCH may send (CSRF stage); default application/json. Uploads: multipart/form-data. */
  accepts?: readonly string[];
  /** Body size limit for this route (default the gateway's `bodyLimitBytes`): 413 beyond it. */
  bodyLimitBytes?: number;
  /**
   * For a route serving many paths (REST): the methods one path answers, or undefined when it names none. Any
   * other method gets 405 with `Allow` before the other stages (a body-less PATCH is no content-type mistake).
   */
  allows?(pathname: string): readonly HttpMethod[] | undefined;
  /** The route runs GraphQL operations only (REST): their own stages spend the rate limit and write the audit. */
  runsOperation?: boolean;
  handle(call: HttpCall): Promise<void>;
}

export interface HttpCall {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  requestId: string;
  viewer: Viewer | null;
  /** The context GraphQL operations of this request run with (viewer, session, client address). */
  context: GatewayContext;
  /** Bound to this request's id. */
  logger: Logger;
  /** The request body as it streams in, refused (BodyTooLargeError, 413) past the route's limit. */
  body(): AsyncIterable<Buffer>;
  readBody(): Promise<Buffer>;
  /** Runs a GraphQL operation as this request's viewer, through the GraphQL stages. */
  runOperation(op: {
    query: string;
    operationName?: string;
    variables?: Record<string, unknown>;
  }): Promise<OperationResult>;
  /**
   * Runs the operation that takes back a write of this same request (a conversation started for a message that
   * was then refused) without spending the caller's rate limit, so a budget that ran out in between cannot leave
   * the write behind. Once per request, and only after an operation ran: the write it undoes paid already.
   */
  undoOperation(op: { query: string; variables?: Record<string, unknown> }): Promise<OperationResult>;
  /**
   * What the audit record of a write names (default: the path, or the route's template when it holds a secret
   * parameter) and its action (default: the route name).
   */
  audit: { target?: string; action?: string };
}
