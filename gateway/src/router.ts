// The gateway's one HTTP router: health probes, REST compatibility routes, the playground and GraphQL over
// HTTP on /graphql. (graphql-ws shares the port through the server's upgrade event, see websocket.ts.)
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { Logger } from 'pino';
import { ErrorCode, sendJson, serveApolloHttp, toRestError } from '@sting/kit';
import type { GatewayContext } from './context.ts';
import type { OperationRunner } from './operation-runner.ts';
import { REQUEST_ID_PATTERN } from './plugins/request-id.ts';
import { handleHealth, type ReadinessCheck } from './health/index.ts';
import { handlePlayground } from './playground/index.ts';
import { handleRest } from './rest/index.ts';
import { handleMetrics } from './metrics/endpoint.ts';
import type { GatewayMetrics } from './metrics/gateway-metrics.ts';
import {
  InvalidSessionError,
  invalidSessionBody,
  SessionUnavailableError,
  sessionUnavailableBody,
} from './identity/session-resolver.ts';

export interface RouterDeps {
  apollo: ApolloServer<GatewayContext>;
  contextFor(req: IncomingMessage, requestId: string): Promise<GatewayContext>;
  runOperation: OperationRunner;
  playground: boolean;
  healthChecks: ReadinessCheck[];
  bodyLimitBytes: number;
  logger: Logger;
  /** Served on GET /metrics when present. */
  metrics?: GatewayMetrics;
}

export function requestIdOf(req: IncomingMessage): string {
  const header = req.headers['x-request-id'];
  return typeof header === 'string' && REQUEST_ID_PATTERN.test(header) ? header : randomUUID();
}

export async function createRouter(deps: RouterDeps): Promise<RequestListener> {
  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = requestIdOf(req);
    if (await handleHealth(req, res, deps.healthChecks)) return;
    if (await handleMetrics(req, res, deps.metrics)) return;
    const onUnexpectedError = (err: unknown, id: string) =>
      deps.logger.error({ err, requestId: id }, 'REST route failed');
    if (
      await handleRest(req, res, deps.runOperation, {
        requestId,
        bodyLimitBytes: deps.bodyLimitBytes,
        onUnexpectedError,
      })
    )
      return;
    if (await handlePlayground(req, res, { enabled: deps.playground })) return;
    const path = new URL(req.url ?? '/', 'http://gateway.invalid').pathname;
    if (path !== '/graphql') {
      // Same shape as the REST errors, so a client has one error format to read outside GraphQL.
      const { status, body } = toRestError(
        { code: ErrorCode.NOT_FOUND, message: `Nothing is served at ${path}` },
        requestId,
      );
      return sendJson(res, status, body, { 'x-request-id': requestId });
    }
    // The session is settled before Apollo runs, so a rejected token is a plain 401 rather than Apollo's
    // "context creation failed".
    let context: GatewayContext;
    try {
      context = await deps.contextFor(req, requestId);
    } catch (err) {
      // Already logged with its cause where the lookup failed; the caller learns only that it could not be checked.
      if (err instanceof SessionUnavailableError)
        return sendJson(res, 500, sessionUnavailableBody(requestId), { 'x-request-id': requestId });
      if (!(err instanceof InvalidSessionError)) throw err;
      return sendJson(res, 401, invalidSessionBody(requestId), {
        'x-request-id': requestId,
        'www-authenticate': 'Bearer error="invalid_token"',
      });
    }
    await serveApolloHttp(deps.apollo, req, res, async () => context, deps.bodyLimitBytes);
  };
  return (req, res) => {
    route(req, res).catch((err) => {
      deps.logger.error({ err }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error' }] });
      else res.destroy();
    });
  };
}
