// The gateway's request pipeline: every front door passes the same named stages, in this order.
//
//   1. request id      pipeline/request-id.ts      the caller's x-request-id if well-formed, else a new one
//   2. size limits     pipeline/document-limits.ts  body size, then tokens and nesting of the query text, before parsing
//   3. authentication  pipeline/authentication.ts   the viewer (Bearer, cookie, connection_init); CSRF for cookies
//   4. operation limits plugins/operation-limits.ts depth, aliases, root fields, directives, cost (graphql-armor),
//                                                   result size (plugins/result-size.ts: lists at their page sizes)
//   5. rate limit      plugins/rate-limit.ts        per user/address; each executing `login` field per address+email
//   6. audit hook      pipeline/audit.ts            one AuditRecord per mutation field and per HTTP write
//   7. execution       Apollo + federation, graphql-ws subscriptions, or the route's handler
//   8. error masking   pipeline/error-masking.ts    typed codes kept, the rest INTERNAL_SERVER_ERROR (logged + id)
//   9. metrics         plugins/metrics.ts           prom-client: sting_* and the process's default metrics
//
// Front doors: GraphQL over HTTP (router.ts → graphql-http.ts → Apollo with `graphqlPlugins`), REST routes and plain
// HTTP routes (`httpStages`), every graphql-ws operation and each subscription event (websocket.ts: stages 1-5 per
// operation, authentication re-checked and errors masked per event).
//
// ## Plain HTTP handlers (uploads, a PUT to a staged upload URL, downloads, server-sent events)
// Write a module under `gateway/src/<feature>/` exporting an `HttpRouteFactory` and add one line to the list in
// `gateway/src/http-routes.ts`:
//
//   export const uploadRoute: HttpRouteFactory = (deps) => ({
//     name: 'documents.upload', method: 'POST', path: '/api/v1/honey-pots/:id/documents',
//     accepts: ['multipart/form-data'], bodyLimitBytes: 50 * 1024 * 1024,
//     async handle(call) {                          // call: HttpCall (pipeline/http-route.ts)
//       for await (const chunk of call.body()) …     // limited to bodyLimitBytes (413 beyond)
//       call.audit.target = `document:${id}`;        // what the audit record names
//       sendJson(call.res, 201, { api_version: '1.0', data: … });
//     },
//   });
//
// Before `handle` runs, the stages have: chosen the request id (x-request-id header set), refused a declared body
// over the limit, authenticated the viewer (`call.viewer`, `call.context`; 401 unless `viewer: 'optional'`), applied
// the CSRF rules to writes (content type in `accepts`, default application/json; cookie sessions need same Origin
// or an X-CSRF-Token header), spent the caller's rate-limit budget (429 + Retry-After). After it: every write
// (POST/PUT/PATCH/DELETE) is audited with its outcome; a thrown StingError answers the REST error shape with its
// status, anything else a logged 500; `sting_http_requests_total{route,status}` and its duration are counted.
// `call.runOperation(op)` runs GraphQL as the same viewer through the GraphQL stages. For server-sent events, write
// the stream to `call.res` yourself; the stages have run by then. A route that only runs GraphQL operations sets
// `runsOperation: true` (the operation spends the rate limit and is audited). `call.undoOperation(op)` runs, once
// and after an operation, the one that takes back this request's own write, without spending the rate limit.
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import type { Logger } from 'pino';
import type { GatewayContext } from '../context.ts';
import { metricsPlugin } from '../plugins/metrics.ts';
import { operationLimitsPlugin } from '../plugins/operation-limits.ts';
import { rateLimitPlugin } from '../plugins/rate-limit.ts';
import { requestSpanPlugin } from '../plugins/request-span.ts';
import { sessionCookiePlugin, type SessionCookieOptions } from '../plugins/session-cookie.ts';
import { subscriptionsOverWebSocketPlugin } from '../plugins/subscriptions-over-websocket.ts';
import type { Protection } from '../protection.ts';
import { userChangesPlugin, type UserChangeFollowers } from '../identity/user-changes.ts';
import { auditPlugin, type AuditSink } from './audit.ts';
import { errorMaskingPlugin, type MaskingOptions } from './error-masking.ts';
import { requestIdPlugin } from './request-id.ts';

export { httpStages, type HttpStages, type HttpStagesDeps } from './http-stages.ts';
export type { HttpCall, HttpRoute, HttpMethod } from './http-route.ts';

/** The stage names in order (the README and the tests read them from here). */
export const PIPELINE_STAGES = [
  'request id',
  'size limits',
  'authentication',
  'operation limits',
  'rate limit',
  'audit hook',
  'execution',
  'error masking',
  'metrics',
] as const;

export interface GraphqlStageOptions {
  protection?: Protection;
  audit?: AuditSink;
  logger: Logger;
  masking?: MaskingOptions;
  /** The built-in identity provider's cookie (set on login, cleared on logout). */
  sessionCookie?: SessionCookieOptions;
  /** Cached sessions and open sockets to bring up to date after a mutation that changes someone's access. */
  userChanges?: UserChangeFollowers;
}

/**
 * Apollo runs one hook of all plugins at once; stages 4 and 5 must run one after the other (an operation refused by
 * its limits spends no budget), so their `didResolveOperation` hooks are chained here.
 */
function inOrder(...plugins: ApolloServerPlugin<GatewayContext>[]): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart(request) {
      const listeners = (await Promise.all(plugins.map((p) => p.requestDidStart?.(request)))).filter(
        (l): l is GraphQLRequestListener<GatewayContext> => l !== undefined,
      );
      return {
        async didResolveOperation(context) {
          for (const listener of listeners) await listener.didResolveOperation?.(context);
        },
      };
    },
  };
}

/**
 * The stages as Apollo plugins, for GraphQL over HTTP, REST operations and graphql-ws queries and mutations.
 * Apollo calls each hook in plugin order; the order below is the pipeline's. (Stages 1-3 of HTTP run before Apollo:
 * the request id and context come in with the request, the token limit refuses before Apollo parses.)
 */
export function graphqlPlugins(options: GraphqlStageOptions): ApolloServerPlugin<GatewayContext>[] {
  const { protection } = options;
  return [
    requestIdPlugin(),
    ...(options.sessionCookie ? [sessionCookiePlugin(options.sessionCookie)] : []),
    subscriptionsOverWebSocketPlugin(),
    ...(protection
      ? [
          inOrder(
            operationLimitsPlugin(protection.limits),
            rateLimitPlugin(protection.rateLimit, protection.budget),
          ),
        ]
      : []),
    ...(options.audit ? [auditPlugin(options.audit, options.logger)] : []),
    ...(options.userChanges ? [userChangesPlugin(options.userChanges)] : []),
    errorMaskingPlugin(options.logger, options.masking),
    ...(protection?.metrics ? [metricsPlugin(protection.metrics)] : []),
    // Not a stage: with tracing on, the request's span names the operation and carries its errors' code.
    requestSpanPlugin(),
  ];
}
