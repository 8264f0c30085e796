// Writes REST responses: the `{ api_version, data }` envelope on success, kit's REST error shape otherwise.
import type { ServerResponse } from 'node:http';
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode, toRestError } from '@sting/kit/errors.ts';
import { sendJson as sendKitJson } from '@sting/kit/subgraph/http-bridge.ts';
import { API_VERSION } from './routes.ts';

/** REST answers are per caller and never cached. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  sendKitJson(res, status, body, { 'cache-control': 'no-store', ...headers });
}

/** What a partial answer says it lacks: the REST error shape's code and message of each part not read. */
export interface RestWarning {
  code: string;
  message: string;
}

export function sendData(
  res: ServerResponse,
  status: number,
  data: unknown,
  headers?: Record<string, string>,
  warnings: readonly RestWarning[] = [],
) {
  sendJson(
    res,
    status,
    warnings.length ? { api_version: API_VERSION, data, warnings } : { api_version: API_VERSION, data },
    headers,
  );
}

export function sendError(
  res: ServerResponse,
  err: { code?: string; message: string } | GraphQLFormattedError,
  requestId: string,
  headers?: Record<string, string>,
) {
  const { status, body } = toRestError(err, requestId);
  const retryAfter = 'extensions' in err ? err.extensions?.retryAfterSeconds : undefined;
  const extra: Record<string, string> = { ...headers };
  if (status === 429 && typeof retryAfter === 'number') extra['retry-after'] = String(retryAfter);
  sendJson(res, status, body, extra);
}

/** An HTTP-level refusal with no GraphQL code of its own (405, 416), in the REST error shape. */
export function sendHttpError(
  res: ServerResponse,
  status: number,
  error: { code: string; message: string },
  requestId: string,
  headers: Record<string, string> = {},
) {
  sendJson(
    res,
    status,
    { error: { ...error, timestamp: new Date().toISOString(), request_id: requestId } },
    headers,
  );
}

/** 405 in the REST error shape, with the methods the path does answer in `Allow`. */
export function sendMethodNotAllowed(
  res: ServerResponse,
  method: string,
  allowed: readonly string[],
  requestId: string,
) {
  sendHttpError(
    res,
    405,
    { code: 'METHOD_NOT_ALLOWED', message: `${method} is not allowed here; use ${allowed.join(', ')}` },
    requestId,
    { allow: allowed.join(', ') },
  );
}

/**
 * The error a REST client sees when an operation reports several: the first one that is the client's to fix
 * outranks a masked internal error, so a bad input is never hidden behind a 500.
 */
export function primaryError(errors: readonly GraphQLFormattedError[]): GraphQLFormattedError {
  return (
    errors.find((e) => e.extensions?.code && e.extensions.code !== ErrorCode.INTERNAL_SERVER_ERROR) ??
    errors[0]
  );
}
