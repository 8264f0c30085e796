// The pipeline's stages for plain HTTP routes (see stages.ts for the order): the same request id, body limit,
// authentication, CSRF, rate limit, audit, error masking (REST error shape) and metrics as GraphQL gets.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { ErrorCode, RateLimitedError, StingError, UnauthenticatedError } from '@sting/kit/errors.ts';
import { requestLogger } from '@sting/kit/logging/request-logger.ts';
import { activeSpan } from '@sting/kit/tracing/index.ts';
import type { GatewayContext } from '../context.ts';
import type { GatewayMetrics } from '../metrics/gateway-metrics.ts';
import type { OperationResult } from '../operation-runner.ts';
import type { RequestBudget } from '../plugins/rate-limit.ts';
import { InvalidSessionError } from '../identity/session-resolver.ts';
import { BodyTooLargeError } from '../rest/request-body.ts';
import { sendError, sendMethodNotAllowed } from '../rest/respond.ts';
import { auditActor, isPermissionDenial, outcomeOf, recordAudit, type AuditSink } from './audit.ts';
import { checkCsrf, cookieSignedIn, JSON_ONLY, WRITE_METHODS } from './csrf.ts';
import type { HttpCall, HttpMethod, HttpRoute } from './http-route.ts';
import { requestIdOf } from './request-id.ts';
import { setApiPolicy, setSecurityHeaders } from './security-headers.ts';

export interface HttpStagesDeps {
  /** Stage 3: the request's context; throws InvalidSessionError (401) or SessionUnavailableError (500). */
  authenticate(req: IncomingMessage, requestId: string, frontDoor: string): Promise<GatewayContext>;
  /** Runs an operation with a context the stages built (GraphQL stages 4-9 apply to it). */
  runOperation(
    context: GatewayContext,
    op: Parameters<HttpCall['runOperation']>[0],
  ): Promise<OperationResult>;
  budget: RequestBudget;
  audit: AuditSink;
  logger: Logger;
  metrics?: GatewayMetrics;
  bodyLimitBytes: number;
  trustProxy: boolean;
}

/** What a request ended by its own client is audited as; its metrics count it as status 499, as nginx logs it. */
const CLIENT_CLOSED_REQUEST = 'CLIENT_CLOSED_REQUEST';

/**
 * The route failed because its client went away: in the middle of the body (its stream failed with `aborted`), or
 * of the answer (the response closed before it was all sent: a download cancelled).
 */
function clientWentAway(req: IncomingMessage, err: unknown): boolean {
  if (req.destroyed && !req.complete) return true;
  return (err as { code?: unknown } | null)?.code === 'ERR_STREAM_PREMATURE_CLOSE';
}

interface CompiledRoute {
  route: HttpRoute;
  methods: ReadonlySet<string>;
  pattern: RegExp;
  names: string[];
}

function compile(route: HttpRoute): CompiledRoute {
  const names: string[] = [];
  const rest = route.path.endsWith('/*');
  const segments = (rest ? route.path.slice(0, -2) : route.path).split('/').map((segment) => {
    if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    names.push(segment.slice(1));
    return '([^/]+)';
  });
  const pattern = new RegExp(`^${segments.join('/')}${rest ? '(?:/.*)?' : ''}$`);
  const methods = new Set(typeof route.method === 'string' ? [route.method] : route.method);
  return { route, methods, pattern, names };
}

async function* limited(req: IncomingMessage, limit: number): AsyncIterable<Buffer> {
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyTooLargeError(limit);
    yield chunk;
  }
}

export interface HttpStages {
  /** Runs the matching route through the stages; false when no route matches (the router moves on). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

export function httpStages(routes: readonly HttpRoute[], deps: HttpStagesDeps): HttpStages {
  const compiled = routes.map(compile);
  const match = (method: string, pathname: string) => {
    for (const entry of compiled) {
      if (!entry.methods.has(method) && !(method === 'HEAD' && entry.methods.has('GET'))) continue;
      const found = entry.pattern.exec(pathname);
      if (!found) continue;
      const params: Record<string, string> = {};
      entry.names.forEach((name, i) => {
        try {
          params[name] = decodeURIComponent(found[i + 1]);
        } catch {
          params[name] = found[i + 1];
        }
      });
      return { route: entry.route, params };
    }
    return undefined;
  };

  return {
    async handle(req, res) {
      const method = (req.method ?? 'GET').toUpperCase();
      const url = new URL(req.url ?? '/', 'http://gateway.invalid');
      const found = match(method, url.pathname);
      if (!found) return false;
      const { route, params } = found;
      // Where the path is recorded, a route with a credential in it (a staged upload's token) shows its template.
      const shownPath = route.secretParams?.some((name) => name in params) ? route.path : url.pathname;
      // The request's span (with tracing on) names the route; spans leave the process without the Pollen Filter.
      const span = activeSpan();
      if (span) {
        span.setAttribute('http.route', route.path);
        if (shownPath !== url.pathname) span.setAttribute('url.path', shownPath);
      }
      const started = process.hrtime.bigint();
      // 1. request id
      const requestId = requestIdOf(req.headers);
      res.setHeader('x-request-id', requestId);
      setSecurityHeaders(req, res, deps.trustProxy);
      setApiPolicy(res);
      const logger = requestLogger(deps.logger, requestId);
      const limit = route.bodyLimitBytes ?? deps.bodyLimitBytes;
      const audit: HttpCall['audit'] = {};
      let context: GatewayContext | undefined;
      let code: string | undefined;
      let operationRan = false;
      let undone = false;
      try {
        const allowed = route.allows?.(url.pathname);
        if (
          allowed &&
          !allowed.includes(method as HttpMethod) &&
          !(method === 'HEAD' && allowed.includes('GET'))
        ) {
          code = 'METHOD_NOT_ALLOWED';
          sendMethodNotAllowed(res, method, allowed, requestId);
          return true;
        }
        // 2. size limit, before anything reads the body
        const declared = Number(req.headers['content-length']);
        if (Number.isFinite(declared) && declared > limit) throw new BodyTooLargeError(limit);
        // 3. authentication
        context = await deps.authenticate(req, requestId, route.runsOperation ? 'rest' : 'http');
        if (route.viewer !== 'optional' && context.viewer?.kind !== 'user') throw new UnauthenticatedError();
        // CSRF belongs with authentication: it decides whether a cookie may speak for the viewer.
        checkCsrf(method, req.headers, {
          accepts: route.accepts ?? JSON_ONLY,
          cookieAuthenticated: cookieSignedIn(context),
          trustProxy: deps.trustProxy,
        });
        // 4. operation limits: a plain route has none; 5. rate limit (a REST route spends it per operation)
        if (!route.runsOperation) {
          const retryAfter = await deps.budget(context);
          if (retryAfter > 0) throw new RateLimitedError(retryAfter);
        }
        // 7. execution
        const ctx = context;
        await route.handle({
          req,
          res,
          url,
          params,
          requestId,
          viewer: ctx.viewer,
          context: ctx,
          logger,
          body: () => limited(req, limit),
          readBody: async () => {
            const chunks: Buffer[] = [];
            for await (const chunk of limited(req, limit)) chunks.push(chunk);
            return Buffer.concat(chunks);
          },
          runOperation: (op) => {
            operationRan = true;
            return deps.runOperation(ctx, op);
          },
          undoOperation: (op) => {
            if (!operationRan || undone)
              throw new Error(
                `${route.name} may undo one write of its own, after the operation that made it`,
              );
            undone = true;
            return deps.runOperation({ ...ctx, unmetered: true }, op);
          },
          audit,
        });
        if (res.statusCode >= 400)
          code = res.statusCode === 404 ? ErrorCode.NOT_FOUND : 'HTTP_' + res.statusCode;
      } catch (err) {
        // 8. error masking: the REST error shape; anything untyped is a logged, unexplained 500
        // The client went away (mid-body or mid-answer): nobody is left to answer, and it is no fault of the
        // platform's.
        const clientGone = !(err instanceof StingError) && clientWentAway(req, err);
        code = err instanceof StingError ? err.code : ErrorCode.INTERNAL_SERVER_ERROR;
        if (!clientGone && !(err instanceof StingError)) logger.error({ err }, `${route.name} failed`);
        if (clientGone) {
          code = CLIENT_CLOSED_REQUEST;
          logger.info(`${route.name}: the client went away before the exchange was over`);
          res.statusCode = 499;
          res.destroy();
        } else if (res.headersSent) res.destroy();
        else {
          const headers: Record<string, string> = {};
          if (err instanceof BodyTooLargeError) headers.connection = 'close';
          if (err instanceof InvalidSessionError) headers['www-authenticate'] = err.challenge;
          if (err instanceof RateLimitedError)
            headers['retry-after'] = String(err.details?.retryAfterSeconds);
          const shown = err instanceof StingError ? err : { message: 'Internal server error' };
          sendError(res, shown, requestId, headers);
          if (err instanceof BodyTooLargeError) req.resume();
        }
      } finally {
        // 6. audit: every write, whatever its outcome, and every request refused as unauthenticated or forbidden
        // before an operation ran (an operation's own writes and refusals are audited by its GraphQL stage)
        const written = WRITE_METHODS.has(method) && !route.runsOperation;
        if (written || (isPermissionDenial(code) && !operationRan))
          recordAudit(deps.audit, logger, {
            ...auditActor(context?.viewer),
            action: audit.action ?? route.name,
            target: audit.target ?? shownPath,
            outcome: outcomeOf(code),
            ...(code ? { code } : {}),
            requestId,
            clientAddress: context?.clientAddress ?? req.socket.remoteAddress ?? 'unknown',
            via: route.runsOperation ? 'rest' : 'http',
          });
        // 9. metrics
        deps.metrics?.observeHttp(
          route.name,
          res.statusCode,
          Number(process.hrtime.bigint() - started) / 1e9,
        );
      }
      return true;
    },
  };
}
