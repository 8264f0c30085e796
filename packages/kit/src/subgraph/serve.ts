// A subgraph as its own service (distributed topology): GraphQL over HTTP and graphql-ws on /graphql, and
// /healthz. Every request is identified by the gateway's assertion; nothing else is trusted.
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { createServer, type IncomingMessage } from 'node:http';
import type { KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  execute,
  subscribe,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { maskError, UnauthenticatedError } from '../errors.ts';
import { decodeClientInfo, type VerifiedIdentity } from '../identity/assertion.ts';
import {
  DELEGATED_IDENTITY_HEADER,
  IDENTITY_HEADER,
  REQUEST_ID_HEADER,
  CLIENT_HEADER,
} from '../identity/headers.ts';
import { loadVerificationKey } from '../identity/keys.ts';
import type { SubgraphContext, SubgraphModule, SubgraphRuntime } from './module.ts';
import { createSubgraphHost, refusedWrite } from './host.ts';
import { DEFAULT_BODY_LIMIT_BYTES, sendJson, serveApolloHttp } from './http-bridge.ts';
import { inRemoteSpan } from '../tracing/propagation.ts';
import { SubgraphMetrics } from '../metrics/subgraph-metrics.ts';
import { countSubgraphRequest } from '../metrics/platform-metrics.ts';

export interface ServeSubgraphOptions {
  port: number;
  host?: string;
  /** Defaults to the public key the gateway wrote into `keysDir`. */
  verificationKey?: KeyObject;
  /** The host's `security.keysDir` (default `.data/keys`); a subgraph's own config slice does not carry it. */
  keysDir?: string;
  /**
   * Schema introspection (default true). The gateway never asks a subgraph for it (it reads the composed
   * supergraph), so the production profile turns it off even for requests that carry an assertion.
   */
  introspection?: boolean;
  /** GET /metrics then needs `Authorization: Bearer <token>` (the platform's `gateway.metrics.token`). */
  metricsToken?: string | null;
  /** Process metrics (CPU, memory, event loop) on /metrics; default true (tests serving several turn them off). */
  defaultMetrics?: boolean;
}

export interface ServedSubgraph {
  url: string;
  stop(): Promise<void>;
}

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export async function serveSubgraph(
  module: SubgraphModule<any>,
  runtime: SubgraphRuntime,
  options: ServeSubgraphOptions,
): Promise<ServedSubgraph> {
  const key =
    options.verificationKey ?? (await loadVerificationKey({ keysDir: options.keysDir ?? '.data/keys' }));
  const host = createSubgraphHost(module, runtime, key);
  const apollo = new ApolloServer<SubgraphContext>({
    schema: host.schema,
    formatError: (formatted, error) => maskError(formatted, error),
    logger: runtime.logger,
    introspection: options.introspection ?? true,
    plugins: [
      // No landing page: Apollo's default one loads Apollo's Sandbox from Apollo's CDN.
      ApolloServerPluginLandingPageDisabled(),
      {
        // A read-only (delegated) assertion runs queries only, as through the host (host.ts refusedWrite).
        async requestDidStart() {
          return {
            async didResolveOperation({ document, operationName, contextValue }) {
              const refused = refusedWrite(document, operationName, contextValue);
              if (refused) throw refused;
            },
          };
        },
      },
      {
        // Each operation's outcome and duration, for sting_subgraph_requests_total and its histogram.
        async requestDidStart() {
          const started = performance.now();
          return {
            async willSendResponse({ response }) {
              const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
              const failed = (result?.errors?.length ?? 0) > 0;
              countSubgraphRequest(module.name, (performance.now() - started) / 1000, failed);
            },
          };
        },
      },
    ],
  });
  const metrics = new SubgraphMetrics({ defaultMetrics: options.defaultMetrics });
  await apollo.start();

  const identify = async (req: IncomingMessage) => host.identify(single(req.headers[IDENTITY_HEADER]));

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') return sendJson(res, 200, { status: 'ok', subgraph: module.name });
    if (path === '/metrics') return void metrics.serve(req, res, options.metricsToken);
    if (path !== '/graphql') return sendJson(res, 404, { error: 'not found' });
    // The gateway's fetch span (its traceparent header) is this request's parent.
    void inRemoteSpan(
      req.headers,
      `subgraph ${module.name}`,
      async () => {
        let identity: VerifiedIdentity;
        try {
          identity = await identify(req);
        } catch (err) {
          const error =
            err instanceof GraphQLError
              ? err
              : new GraphQLError((err as Error).message, { originalError: err as Error });
          return sendJson(res, 401, { errors: [maskError(error.toJSON(), err)] });
        }
        const requestId = single(req.headers[REQUEST_ID_HEADER]);
        const delegatedIdentity = single(req.headers[DELEGATED_IDENTITY_HEADER]);
        const client = decodeClientInfo(single(req.headers[CLIENT_HEADER]));
        await serveApolloHttp(apollo, req, res, async () =>
          host.contextFor(
            {
              ...identity,
              ...(delegatedIdentity ? { delegatedIdentity } : {}),
              ...(client ? { client } : {}),
            },
            requestId,
          ),
        );
      },
      { attributes: { 'sting.subgraph': module.name } },
    ).catch((err) => {
      runtime.logger.error({ err }, 'subgraph request failed');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error' }] });
      else res.end();
    });
  });

  // A subscribe message is held to the largest HTTP body, not ws's own 100 MiB.
  const wss = new WebSocketServer({ server, path: '/graphql', maxPayload: DEFAULT_BODY_LIMIT_BYTES });
  /**
   * The connection's verified identity, and the person's delegated assertion (connection_init's `delegatedIdentity`),
   * which the gateway renews with a `ping` carrying a fresh one while the connection is open: a subscription's
   * context reads the latest, so a long-lived one can still ask another subgraph on the person's behalf.
   */
  type Extra = { identity?: VerifiedIdentity; delegatedIdentity?: string };
  const delegatedOf = (payload: Record<string, unknown> | null | undefined) =>
    typeof payload?.delegatedIdentity === 'string' && payload.delegatedIdentity
      ? payload.delegatedIdentity
      : undefined;
  const mask = (result: ExecutionResult) =>
    result.errors ? { ...result, errors: result.errors.map((e) => maskError(e.toJSON(), e)) } : result;
  // A subscription continues the trace named in the connection_init payload (`traceparent`).
  const traceOf = new WeakMap<object, Record<string, unknown>>();
  const overSocket = <T>(args: { contextValue?: unknown }, work: () => Promise<T>) => {
    const carrier = traceOf.get(args.contextValue as object);
    if (!carrier) return work();
    return inRemoteSpan(carrier, `subgraph ${module.name}`, work, {
      attributes: { 'sting.subgraph': module.name },
    });
  };
  const refusal = (args: ExecutionArgs): ExecutionResult | undefined => {
    const refused = refusedWrite(args.document, args.operationName, args.contextValue as SubgraphContext);
    return refused ? { errors: [refused] } : undefined;
  };
  const wsServer = useServer<
    { identity?: string; delegatedIdentity?: string; requestId?: string; traceparent?: string },
    Extra
  >(
    {
      schema: host.schema,
      subscribe: (args) => overSocket(args, async () => refusal(args) ?? subscribe(args)),
      execute: (args) => overSocket(args, async () => refusal(args) ?? execute(args)),
      async onConnect(ctx) {
        try {
          (ctx.extra as Extra).identity = await host.identify(ctx.connectionParams?.identity);
          (ctx.extra as Extra).delegatedIdentity = delegatedOf(ctx.connectionParams);
          return true;
        } catch (err) {
          if (err instanceof UnauthenticatedError) return false;
          throw err;
        }
      },
      onPing(ctx, payload) {
        const extra = ctx.extra as Extra;
        const renewed = delegatedOf(payload);
        if (extra.identity && renewed) extra.delegatedIdentity = renewed;
      },
      context: (ctx) => {
        const extra = ctx.extra as Extra;
        const context = host.contextFor(extra.identity ?? { viewer: null }, ctx.connectionParams?.requestId);
        Object.defineProperty(context, 'delegatedIdentity', {
          get: () => extra.delegatedIdentity,
          enumerable: true,
          configurable: true,
        });
        if (ctx.connectionParams?.traceparent) traceOf.set(context, ctx.connectionParams);
        return context;
      },
      ...(options.introspection === false
        ? {
            validate: (schema: GraphQLSchema, document: DocumentNode) =>
              validate(schema, document, [...specifiedRules, NoSchemaIntrospectionCustomRule]),
          }
        : {}),
      onNext: (_ctx, _id, _payload, _args, result) => mask(result),
      // Only parse and validation failures arrive here (execution errors travel in results): the client's.
      onError: (_ctx, _id, _payload, errors) =>
        errors.map((e) => {
          const formatted = e.toJSON();
          if (formatted.extensions?.code || e.originalError) return maskError(formatted, e);
          return maskError({ ...formatted, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }, e);
        }),
    },
    wss,
  );

  await new Promise<void>((resolve) => server.listen(options.port, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}/graphql`,
    async stop() {
      await wsServer.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
    },
  };
}
