// The gateway's one HTTP router: health probes, metrics, the pipeline's HTTP routes (REST compatibility and
// plain handlers), the playground and GraphQL over HTTP on /graphql, each through the stages of
// pipeline/stages.ts. (graphql-ws shares the port through the server's upgrade event, see websocket.ts.)
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { Logger } from 'pino';
import { ErrorCode, toRestError } from '@sting/kit/errors.ts';
import { sendJson } from '@sting/kit/subgraph/http-bridge.ts';
import { traceHttpRequest, tracingEnabled } from '@sting/kit/tracing/index.ts';
import type { GatewayContext } from './context.ts';
import type { DocumentLimits } from './pipeline/document-limits.ts';
import { RepeatedAuthorizationError } from './pipeline/authentication.ts';
import { serveGraphqlHttp } from './pipeline/graphql-http.ts';
import type { HttpStages } from './pipeline/http-stages.ts';
import { requestIdOf } from './pipeline/request-id.ts';
import { originForm } from './pipeline/request-target.ts';
import { setApiPolicy, setSecurityHeaders } from './pipeline/security-headers.ts';
import { handleHealth, type ReadinessCheck } from './health/index.ts';
import { handlePlayground } from './playground/index.ts';
import { handleWebApp } from './web-app/index.ts';
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
  /** REST and plain HTTP routes through the pipeline's stages. */
  stages: HttpStages;
  playground: boolean;
  healthChecks: ReadinessCheck[];
  bodyLimitBytes: number;
  logger: Logger;
  /** The built web app served at `/` (default web/dist; nothing is served when it has not been built). */
  webAppDir?: string;
  /** Served on GET /metrics when present (absent: metrics are off, or on their own listener). */
  metrics?: GatewayMetrics;
  /** GET /metrics then needs `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /** Token and nesting limits applied to the query text before parsing. */
  limits: DocumentLimits;
  trustProxy: boolean;
}

export async function createRouter(deps: RouterDeps): Promise<RequestListener> {
  const route = async (req: IncomingMessage, res: ServerResponse) => {
    setSecurityHeaders(req, res, deps.trustProxy);
    const target = originForm(req.url);
    if (target === undefined) {
      const requestId = requestIdOf(req.headers);
      const { status, body } = toRestError(
        {
          code: ErrorCode.BAD_USER_INPUT,
          message: 'The request target must be a path that starts with a single /',
        },
        requestId,
      );
      return sendJson(res, status, body, { 'x-request-id': requestId, connection: 'close' });
    }
    req.url = target;
    if (await handleHealth(req, res, deps.healthChecks)) return;
    if (await handleMetrics(req, res, deps.metrics, deps.metricsToken)) return;
    if (await deps.stages.handle(req, res)) return;
    const requestId = requestIdOf(req.headers);
    if (await handlePlayground(req, res, { enabled: deps.playground })) return;
    if (await handleWebApp(req, res, { enabled: true, dir: deps.webAppDir })) return;
    const path = new URL(req.url ?? '/', 'http://gateway.invalid').pathname;
    if (path !== '/graphql') {
      // Same shape as the REST errors, so a client has one error format to read outside GraphQL.
      const { status, body } = toRestError(
        { code: ErrorCode.NOT_FOUND, message: `Nothing is served at ${path}` },
        requestId,
      );
      return sendJson(res, status, body, { 'x-request-id': requestId });
    }
    setApiPolicy(res);
    // The session is settled before Apollo runs, so a rejected token is a plain 401 rather than Apollo's
    // "context creation failed".
    let context: GatewayContext;
    try {
      context = await deps.contextFor(req, requestId);
    } catch (err) {
      // Already logged with its cause where the lookup failed; the caller learns only that it could not be checked.
      if (err instanceof SessionUnavailableError)
        return sendJson(res, 500, sessionUnavailableBody(requestId), { 'x-request-id': requestId });
      if (err instanceof RepeatedAuthorizationError)
        return sendJson(
          res,
          400,
          { errors: [{ message: err.message, extensions: { code: 'BAD_REQUEST', requestId } }] },
          { 'x-request-id': requestId },
        );
      if (!(err instanceof InvalidSessionError)) throw err;
      return sendJson(res, 401, invalidSessionBody(requestId, err.message), {
        'x-request-id': requestId,
        'www-authenticate': err.challenge,
      });
    }
    await serveGraphqlHttp(deps.apollo, req, res, context, {
      bodyLimitBytes: deps.bodyLimitBytes,
      limits: deps.limits,
      trustProxy: deps.trustProxy,
    });
  };
  // With tracing on, each request is a server span (see kit's traceHttpRequest).
  return (req, res) => (tracingEnabled() ? traceHttpRequest(req, res, handle) : handle(req, res));

  function handle(req: IncomingMessage, res: ServerResponse) {
    route(req, res).catch((err) => {
      deps.logger.error({ err }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error' }] });
      else res.destroy();
    });
  }
}
