// REST compatibility front door: `/api/v1/...` and `/api/beeacon/...` routes run their named GraphQL operation
// through the gateway pipeline and answer the legacy envelope; `/api/v1/openapi.json` describes them.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { requestIdOf as pipelineRequestId } from '../pipeline/request-id.ts';
import { ErrorCode, StingError } from '@sting/kit/errors.ts';
import type { OperationResult, OperationRunner } from '../operation-runner.ts';
import { matchRoute, restRoutes, type RestRoute } from './routes.ts';
import { BodyTooLargeError, DEFAULT_BODY_LIMIT_BYTES, readJsonObject } from './request-body.ts';
import { buildVariables, refuseUndecodableQuery } from './variables.ts';
import { toRestNaming } from './naming.ts';
import { restError } from './error-names.ts';
import {
  primaryError,
  sendData,
  sendError,
  sendJson,
  sendMethodNotAllowed,
  type RestWarning,
} from './respond.ts';
import { openApiDocument, OPENAPI_PATH } from './openapi.ts';

export { openApiDocument, OPENAPI_PATH } from './openapi.ts';
export { restRoutes, REST_ROUTE_SPECS, API_VERSION } from './routes.ts';

export interface RestOptions {
  requestId?: string;
  /** The API schema served: a request's enum values are spelled as it spells them (variables.ts). */
  schema?: () => GraphQLSchema;
  bodyLimitBytes?: number;
  /** Told about failures the client only sees as a masked 500, so they can be logged with the request id. */
  onUnexpectedError?: (err: unknown, requestId: string) => void;
}

function isApiPath(pathname: string): boolean {
  return pathname === '/api' || pathname.startsWith('/api/');
}

function requestIdOf(req: IncomingMessage, opts: RestOptions): string {
  return opts.requestId ?? pipelineRequestId(req.headers);
}

type OperationResultErrors = OperationResult['errors'];

/** Follows `unwrap` from the root field's value; undefined when something on the way is null. */
function routeData(route: RestRoute, data: unknown): unknown {
  let value = (data as Record<string, unknown> | null | undefined)?.[route.op.rootField];
  for (const field of route.unwrap ?? []) {
    if (value === null || value === undefined) return undefined;
    value = (value as Record<string, unknown>)[field];
  }
  return value;
}

async function runRoute(
  req: IncomingMessage,
  res: ServerResponse,
  run: OperationRunner,
  route: RestRoute,
  params: Record<string, string>,
  url: URL,
  requestId: string,
  opts: RestOptions,
) {
  refuseUndecodableQuery(url.search);
  const body = route.body
    ? await readJsonObject(req, opts.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES)
    : undefined;
  const result = await run({
    query: route.op.query,
    operationName: route.op.name,
    variables: buildVariables(route, params, url.searchParams, body, opts.schema?.()),
    headers: req.headers,
    requestId,
    remoteAddress: req.socket.remoteAddress,
  });
  const data = routeData(route, result.data);
  const warnings = partialAnswer(result.errors, data);
  if (result.errors?.length && !warnings) {
    return sendError(res, restError(route.names, primaryError(result.errors)), requestId, result.headers);
  }
  const absent = data === null || data === undefined || (route.method === 'DELETE' && data === false);
  if (absent && route.missing) {
    const which = params.id ? ` ${params.id}` : '';
    return sendError(
      res,
      { code: ErrorCode.NOT_FOUND, message: `${route.missing}${which} was not found` },
      requestId,
      result.headers,
    );
  }
  const status = route.successStatus ?? 200;
  const id = (data as { id?: unknown } | null)?.id;
  const location: Record<string, string> =
    status === 201 && typeof id === 'string' ? { location: `${url.pathname}/${id}` } : {};
  sendData(res, status, toRestNaming(data ?? null), { ...result.headers, ...location }, warnings);
}

/**
 * The warnings of an answer that is whole but for fields a service that could not be reached owns (nullable fields,
 * such as a honey pot's counts while knowledge is down): every error SERVICE_UNAVAILABLE and the route's data there.
 * Undefined when the errors fail the request instead. A write that succeeded is not reported as failed this way,
 * so a client does not repeat it.
 */
function partialAnswer(errors: OperationResultErrors, data: unknown): RestWarning[] | undefined {
  if (!errors?.length || data === null || data === undefined) return undefined;
  if (!errors.every((e) => e.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE)) return undefined;
  const messages = [...new Set(errors.map((e) => e.message))];
  return messages.map((message) => ({ code: ErrorCode.SERVICE_UNAVAILABLE, message }));
}

/** Answers REST routes; false when the path is not under /api so the next handler gets the request. */
export async function handleRest(
  req: IncomingMessage,
  res: ServerResponse,
  run: OperationRunner,
  opts: RestOptions = {},
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://gateway.invalid');
  if (!isApiPath(url.pathname)) return false;
  const requestId = requestIdOf(req, opts);
  if (!res.hasHeader('x-request-id')) res.setHeader('x-request-id', requestId);
  const method = (req.method ?? 'GET').toUpperCase();
  try {
    if (url.pathname === OPENAPI_PATH) {
      if (method !== 'GET') sendMethodNotAllowed(res, method, ['GET'], requestId);
      else sendJson(res, 200, openApiDocument(), { 'cache-control': 'public, max-age=300' });
      return true;
    }
    const match = matchRoute(restRoutes(), method, url.pathname);
    if (match.kind === 'none') {
      sendError(
        res,
        { code: ErrorCode.NOT_FOUND, message: `No API route ${method} ${url.pathname}` },
        requestId,
      );
    } else if (match.kind === 'method-not-allowed') {
      sendMethodNotAllowed(res, method, match.allowed, requestId);
    } else {
      await runRoute(req, res, run, match.route, match.params, url, requestId, opts);
    }
  } catch (err) {
    if (res.headersSent) {
      res.destroy();
    } else if (err instanceof BodyTooLargeError) {
      // The rest of the body is not worth reading: answer, then drop the connection.
      sendError(res, err, requestId, { connection: 'close' });
      req.resume();
    } else if (err instanceof StingError) {
      sendError(res, err, requestId);
    } else {
      opts.onUnexpectedError?.(err, requestId);
      sendError(res, { code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'Internal server error' }, requestId);
    }
  }
  return true;
}
