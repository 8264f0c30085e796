// Starts the gateway over a set of subgraph endpoints (either topology): session resolution, Apollo Server on
// the federated graph, the HTTP router and graphql-ws, all on one port.
import { createServer, type IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { DEFAULT_BODY_LIMIT_BYTES } from '@sting/kit/subgraph/http-bridge.ts';
import { createApolloServer } from './apollo.ts';
import type { GatewayContext } from './context.ts';
import { Federation } from './federation.ts';
import type { ReadinessCheck } from './health/index.ts';
import { SessionResolver, type SessionResolverOptions } from './identity/session-resolver.ts';
import { followUserChanges } from './identity/user-changes.ts';
import { browserSocketSession } from './identity/session-token.ts';
import {
  sessionProviderFor,
  type IdentitySettings,
  type SessionProvider,
} from './identity/session-provider.ts';
import { forwardedFromHeaders } from './generic/forwarded-headers.ts';
import type { Operation, OperationRunner } from './operation-runner.ts';
import { createRouter } from './router.ts';
import { buildHttpRoutes, HTTP_ROUTES } from './http-routes.ts';
import { defaultAuditSink } from './audit/index.ts';
import type { AuditSink } from './pipeline/audit.ts';
import { authentication } from './pipeline/authentication.ts';
import type { HttpRoute } from './pipeline/http-route.ts';
import { httpStages } from './pipeline/stages.ts';
import { restRoute } from './rest/route.ts';
import { handleMetrics } from './metrics/endpoint.ts';
import type { GatewayMetrics } from './metrics/gateway-metrics.ts';
import { resolveProtection } from './protection.ts';
import type { EventBus } from '@sting/kit/bus/event-bus.ts';
import type { RateLimiter } from '@sting/kit/rate-limit/rate-limiter.ts';
import type { GatewaySettings } from './settings.ts';
import type { SupergraphSourceOptions } from './supergraph-source.ts';
import type { SubgraphEndpoint } from './topology/endpoint.ts';
import { serveWebSocket, type WebSocketEndpoint } from './websocket.ts';

export interface GatewayOptions {
  settings: Pick<GatewaySettings, 'profile' | 'gateway'>;
  endpoints: SubgraphEndpoint[];
  logger: Logger;
  /** Overrides `settings.gateway.port` (0 picks a free port). */
  port?: number;
  /** Overrides `settings.gateway.metrics.port` for the separate metrics listener (0 picks a free port). */
  metricsPort?: number;
  healthChecks?: ReadinessCheck[];
  sessions?: SessionResolverOptions;
  /** Which identity provider signs people in (`identity.provider`). Default: the built-in one. */
  identity?: IdentitySettings;
  /** How long a session lasts (identity's `sessions.absoluteLifetimeHours`): the login cookie's lifetime. Default 24 h. */
  sessionTtlSeconds?: number;
  supergraphSource?: SupergraphSourceOptions;
  bodyLimitBytes?: number;
  /** Shared buckets (Redis) across replicas; default in-process. The gateway closes it when it stops. */
  rateLimiter?: RateLimiter;
  /** Metrics the caller also feeds (subgraph fetches); default a fresh set. */
  metrics?: GatewayMetrics;
  /** Key of the hash that stands for emails in rate-limit buckets; replicas sharing Redis must share it. */
  rateLimitKey?: Buffer | string;
  /** Where audit records go (pipeline/audit.ts); default identity's audit log (audit/index.ts). */
  audit?: AuditSink;
  /** Plain HTTP routes besides those in http-routes.ts (tests). */
  httpRoutes?: readonly HttpRoute[];
  /** Generic mode (generic/): who the caller is, in place of the identity provider's sessions. */
  sessionProvider?: SessionProvider;
  /**
   * Where identity announces revoked API keys and changes to people (their cached viewers forgotten and sockets
   * re-checked at once); absent: not heard.
   */
  bus?: EventBus;
  /** Generic mode: request headers passed on to subgraphs (lower-case names; see generic/forwarded-headers.ts). */
  forwardHeaders?: readonly string[];
  /** Generic mode: builds the endpoint of each subgraph the supergraph names (see Federation). */
  endpointFor?: (name: string, url: string) => SubgraphEndpoint;
  /**
   * Every list field of the supergraph refuses a page larger than this (OperationLimits.pagesRefusedAbove).
   * Default STING's subgraphs' (kit's MAX_PAGE_SIZE); generic mode: Infinity, a foreign list promises nothing.
   */
  pagesRefusedAbove?: number;
}

export interface RunningGateway {
  url: string;
  /** Where /metrics is served when it has its own listener (`gateway.metrics.listener`). */
  metricsUrl?: string;
  federation: Federation;
  sessions: SessionResolver;
  runOperation: OperationRunner;
  webSocket: WebSocketEndpoint;
  stop(): Promise<void>;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const { logger, settings } = options;
  const federation = new Federation({
    supergraph: settings.gateway.supergraph,
    endpoints: options.endpoints,
    logger,
    source: options.supergraphSource,
    endpointFor: options.endpointFor,
  });

  const provider =
    options.sessionProvider ??
    sessionProviderFor(options.identity ?? { provider: 'builtin' }, { federation, logger });
  const forwardHeaders = options.forwardHeaders ?? [];
  const sessions = new SessionResolver(provider.lookup, options.sessions);
  const stopWatching =
    options.bus && provider.watch ? await provider.watch(options.bus, sessions) : undefined;
  // A person's role, standing or sessions changed: their cached viewers go and their sockets are re-checked.
  const openSockets: { endpoint?: WebSocketEndpoint } = {};
  const stopFollowingPeople = options.bus
    ? await followUserChanges(options.bus, { sessions, sockets: () => openSockets.endpoint }, logger)
    : undefined;

  const playground =
    settings.gateway.playground === 'auto' ? settings.profile !== 'production' : settings.gateway.playground;
  const protection = resolveProtection(settings.gateway, options);
  const audit = options.audit ?? defaultAuditSink(federation, logger);
  const apollo = createApolloServer(federation, logger, {
    introspection: playground,
    protection,
    audit,
    userChanges: { sessions, sockets: () => openSockets.endpoint },
    sessionCookie: provider.ownsSessionCookie
      ? { sessions, sessionTtlSeconds: options.sessionTtlSeconds ?? 24 * 3600 }
      : undefined,
  });
  await apollo.start();

  // Throws InvalidSessionError for a Bearer token that names no live session (401 on every front door), and
  // SessionUnavailableError when the session could not be checked at all.
  const auth = authentication({
    sessions,
    fromHeaders: provider.fromHeaders,
    trustProxy: protection.trustProxy,
    // Production is served over https: its session cookie never travels in the clear, whatever proxy is in front.
    secureCookies: settings.profile === 'production',
  });
  const contextFor = async (
    headers: IncomingMessage['headers'],
    requestId: string,
    from: { encrypted?: boolean; remoteAddress?: string; frontDoor?: string; req?: IncomingMessage } = {},
  ): Promise<GatewayContext> => ({
    ...(await auth.contextFor(headers, requestId, {
      encrypted: from.encrypted,
      remoteAddress: from.remoteAddress,
      frontDoor: from.frontDoor ?? 'graphql',
      headersDistinct: from.req?.headersDistinct,
    })),
    ...(forwardHeaders.length ? { forwardedHeaders: forwardedFromHeaders(headers, forwardHeaders) } : {}),
  });
  /** What the HTTP request `req` came over, for contextFor. */
  const cameFrom = (req: IncomingMessage, frontDoor?: string) => ({
    encrypted: (req.socket as TLSSocket).encrypted === true,
    remoteAddress: req.socket.remoteAddress,
    frontDoor,
    req,
  });
  const executeAs = async (
    contextValue: GatewayContext,
    op: Pick<Operation, 'query' | 'operationName' | 'variables'>,
  ) => {
    const response = await apollo.executeOperation(
      { query: op.query, operationName: op.operationName, variables: op.variables },
      { contextValue },
    );
    if (response.body.kind !== 'single')
      throw new Error('incremental delivery is not supported for REST routes');
    const setCookie = response.http.headers.get('set-cookie');
    return {
      data: response.body.singleResult.data,
      errors: response.body.singleResult.errors,
      ...(setCookie ? { headers: { 'set-cookie': setCookie } } : {}),
    };
  };
  const runOperation: OperationRunner = async (op) =>
    executeAs(
      await contextFor(op.headers, op.requestId, { remoteAddress: op.remoteAddress, frontDoor: 'rest' }),
      op,
    );

  const bodyLimitBytes = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const routes = [
    ...buildHttpRoutes(HTTP_ROUTES, { settings, federation, logger }),
    ...(options.httpRoutes ?? []),
    restRoute(logger, () => federation.schema),
  ];
  const stages = httpStages(routes, {
    authenticate: (req, requestId, frontDoor) => contextFor(req.headers, requestId, cameFrom(req, frontDoor)),
    runOperation: executeAs,
    budget: protection.budget,
    audit,
    logger,
    metrics: protection.metrics,
    bodyLimitBytes,
    trustProxy: protection.trustProxy,
  });
  const metricsSettings = settings.gateway.metrics;
  const metricsListener =
    metricsSettings?.listener === 'auto' || metricsSettings?.listener === undefined
      ? settings.profile === 'production'
        ? 'separate'
        : 'public'
      : metricsSettings.listener;
  const metricsToken = metricsSettings?.token || undefined;

  const server = createServer(
    await createRouter({
      apollo,
      contextFor: (req, requestId) => contextFor(req.headers, requestId, cameFrom(req)),
      stages,
      playground,
      healthChecks: options.healthChecks ?? [],
      bodyLimitBytes,
      logger,
      limits: protection.limits,
      trustProxy: protection.trustProxy,
      metrics: metricsListener === 'public' ? protection.metrics : undefined,
      metricsToken,
    }),
  );
  const webSocket = serveWebSocket(server, {
    federation,
    apollo,
    sessions,
    sessionFrom: (params, upgrade) =>
      provider.fromConnectionParams(params) ??
      browserSocketSession(provider.fromHeaders(upgrade), upgrade, protection.trustProxy),
    forwardHeaders,
    logger,
    protection,
    masking: { hideSchemaDetails: !playground },
    maxPayloadBytes: bodyLimitBytes,
  });
  openSockets.endpoint = webSocket;
  const host = settings.gateway.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? settings.gateway.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  // Production keeps /metrics off the public port: scrapers reach it on its own listener (gateway.metrics.port).
  const metricsServer =
    metricsListener === 'separate' && protection.metrics
      ? createServer((req, res) => {
          handleMetrics(req, res, protection.metrics, metricsToken).then(
            (handled) => void (handled || res.writeHead(404).end()),
            (err: unknown) => {
              logger.error({ err }, 'metrics request failed');
              res.destroy();
            },
          );
        })
      : undefined;
  if (metricsServer)
    await new Promise<void>((resolve, reject) => {
      metricsServer.once('error', reject);
      metricsServer.listen(options.metricsPort ?? metricsSettings?.port ?? 9464, host, () => resolve());
    });
  return {
    url: `http://${host}:${port}/graphql`,
    ...(metricsServer
      ? { metricsUrl: `http://${host}:${(metricsServer.address() as AddressInfo).port}/metrics` }
      : {}),
    federation,
    sessions,
    runOperation,
    webSocket,
    async stop() {
      await webSocket.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (metricsServer) await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
      await apollo.stop();
      // After the last request ended: what it recorded is handed on before identity may stop.
      await audit.close?.();
      await protection.close();
      await stopWatching?.();
      await stopFollowingPeople?.();
    },
  };
}
