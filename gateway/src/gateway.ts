// Starts the gateway over a set of subgraph endpoints (either topology): session resolution, Apollo Server on
// the federated graph, the HTTP router and graphql-ws, all on one port.
import { createServer, type IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { DEFAULT_BODY_LIMIT_BYTES } from '@sting/kit';
import { createApolloServer } from './apollo.ts';
import type { GatewayContext } from './context.ts';
import { Federation } from './federation.ts';
import type { ReadinessCheck } from './health/index.ts';
import { SessionResolver, type SessionResolverOptions } from './identity/session-resolver.ts';
import { cameOverHttps } from './identity/session-cookie.ts';
import {
  sessionProviderFor,
  type IdentitySettings,
  type SessionProvider,
} from './identity/session-provider.ts';
import { forwardedFromHeaders } from './generic/forwarded-headers.ts';
import type { OperationRunner } from './operation-runner.ts';
import { createRouter } from './router.ts';
import { clientAddress } from './client-address.ts';
import type { GatewayMetrics } from './metrics/gateway-metrics.ts';
import { resolveProtection } from './protection.ts';
import type { RateLimiter } from '@sting/kit';
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
  healthChecks?: ReadinessCheck[];
  sessions?: SessionResolverOptions;
  /** Which identity provider signs people in (`identity.provider`). Default: the built-in one. */
  identity?: IdentitySettings;
  /** How long a session lasts (identity's `sessionTtlHours`): the login cookie's lifetime. Default 24 h. */
  sessionTtlSeconds?: number;
  supergraphSource?: SupergraphSourceOptions;
  bodyLimitBytes?: number;
  /** Shared buckets (Redis) across replicas; default in-process. The gateway closes it when it stops. */
  rateLimiter?: RateLimiter;
  /** Metrics the caller also feeds (subgraph fetches); default a fresh set. */
  metrics?: GatewayMetrics;
  /** Generic mode (generic/): who the caller is, in place of the identity provider's sessions. */
  sessionProvider?: SessionProvider;
  /** Generic mode: request headers passed on to subgraphs (lower-case names; see generic/forwarded-headers.ts). */
  forwardHeaders?: readonly string[];
  /** Generic mode: builds the endpoint of each subgraph the supergraph names (see Federation). */
  endpointFor?: (name: string, url: string) => SubgraphEndpoint;
}

export interface RunningGateway {
  url: string;
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

  const playground =
    settings.gateway.playground === 'auto' ? settings.profile !== 'production' : settings.gateway.playground;
  const protection = resolveProtection(settings.gateway, options);
  const apollo = createApolloServer(federation, logger, {
    introspection: playground,
    protection,
    sessionCookie: provider.ownsSessionCookie
      ? { sessions, sessionTtlSeconds: options.sessionTtlSeconds ?? 24 * 3600 }
      : undefined,
  });
  await apollo.start();

  // Throws InvalidSessionError for a Bearer token that names no live session (401 on every front door), and
  // SessionUnavailableError when the session could not be checked at all.
  const contextFor = async (
    headers: IncomingMessage['headers'],
    requestId: string,
    encrypted = false,
    remoteAddress?: string,
  ): Promise<GatewayContext> => {
    const session = provider.fromHeaders(headers);
    const viewer = await sessions.authenticate(session);
    const address = clientAddress(headers, remoteAddress, protection.trustProxy);
    return {
      viewer,
      requestId,
      session,
      secure: cameOverHttps(headers, encrypted),
      clientAddress: address,
      ...(forwardHeaders.length ? { forwardedHeaders: forwardedFromHeaders(headers, forwardHeaders) } : {}),
    };
  };
  const runOperation: OperationRunner = async (op) => {
    const response = await apollo.executeOperation(
      { query: op.query, operationName: op.operationName, variables: op.variables },
      { contextValue: await contextFor(op.headers, op.requestId, false, op.remoteAddress) },
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

  const server = createServer(
    await createRouter({
      apollo,
      contextFor: (req, requestId) =>
        contextFor(
          req.headers,
          requestId,
          (req.socket as TLSSocket).encrypted === true,
          req.socket.remoteAddress,
        ),
      runOperation,
      playground,
      healthChecks: options.healthChecks ?? [],
      bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
      logger,
      metrics: protection.metrics,
    }),
  );
  const webSocket = serveWebSocket(server, {
    federation,
    apollo,
    sessions,
    sessionFrom: provider.fromConnectionParams,
    forwardHeaders,
    logger,
    protection,
  });
  const host = settings.gateway.host;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? settings.gateway.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}/graphql`,
    federation,
    sessions,
    runOperation,
    webSocket,
    async stop() {
      await webSocket.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
      await protection.close();
    },
  };
}
