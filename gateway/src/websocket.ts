// graphql-ws on /graphql, through the pipeline's stages (pipeline/stages.ts) for every operation: a request id,
// the query's size limits before parsing, the viewer re-checked (sign-out closes 4401, a changed role 4403),
// validation and operation limits, the rate limit and the subscription caps; queries and mutations then run through
// Apollo's stages like HTTP, subscriptions through the federated executor, each event re-checking the viewer and
// masking its errors.
import type { IncomingHttpHeaders, Server } from 'node:http';
import { WebSocketServer } from 'ws';
import type { SubscribePayload } from 'graphql-ws';
import {
  GraphQLError,
  getOperationAST,
  parse,
  print,
  specifiedRules,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
} from 'graphql';
import { getVariableValues } from 'graphql/execution/values.js';
import type { ApolloServer } from '@apollo/server';
import type { Logger } from 'pino';
import { ErrorCode } from '@sting/kit/errors.ts';
import { DEFAULT_BODY_LIMIT_BYTES } from '@sting/kit/subgraph/http-bridge.ts';
import type { Viewer } from '@sting/kit/subgraph/module.ts';
import { inRemoteSpan } from '@sting/kit/tracing/index.ts';
import type { GatewayContext } from './context.ts';
import type { Federation } from './federation.ts';
import type { PresentedSession } from './identity/session-token.ts';
import { InvalidSessionError, type SessionResolver } from './identity/session-resolver.ts';
import { authentication as authenticationStage } from './pipeline/authentication.ts';
import { documentLimitError } from './pipeline/document-limits.ts';
import { maskErrors, type MaskingOptions } from './pipeline/error-masking.ts';
import { inputError } from './pipeline/input-checks.ts';
import { requestIdOf } from './pipeline/request-id.ts';
import { loginEmails, rateLimitedError } from './plugins/rate-limit.ts';
import { subscribeFederated } from './subscriptions/federated-subscription.ts';
import { eventStream } from './subscriptions/event-stream.ts';
import { clientAddress } from './client-address.ts';
import { fragmentsOf } from '@sting/kit/graphql/root-fields.ts';
import {
  limitError,
  resultSizeViolation,
  unknownOperationError,
  validateWithOperationLimits,
} from './plugins/operation-limits.ts';
import { PROTECTION_DEFAULTS, type Protection } from './protection.ts';
import { forwardedFromConnection } from './generic/forwarded-headers.ts';
import { isEventStream, type UpstreamEvents } from './topology/endpoint.ts';
import { serveGraphqlWs, type SocketExtra } from './websocket-transport.ts';

interface ConnectionExtra extends SocketExtra {
  viewer?: Viewer | null;
  session?: PresentedSession;
  /** Request id of each operation in flight, for errors graphql-ws reports outside our hooks. */
  requestIds: Map<string, string>;
  /** Subscriptions open on this socket. */
  subscriptions: Set<string>;
  /**
   * Subscriptions admitted but not yet open (their subgraph subscribe in flight), and whose they are: they hold
   * their place in the caps, or a burst of subscribe messages would all pass the check before any had opened.
   */
  admitted: Map<string, string | undefined>;
  /** The person this connection counts against (socketsPerUser), once acknowledged. */
  countedAs?: string;
}

/** graphql-ws has no code for this; 4401 mirrors HTTP 401 as its own 4403 mirrors 403. */
export const CLOSE_UNAUTHORIZED = 4401;
export const CLOSE_FORBIDDEN = 4403;
/** One fewer of `key` in a count kept per key; a key that reaches none is dropped. */
function countDown(counts: Map<string, number>, key: string): void {
  const left = (counts.get(key) ?? 1) - 1;
  if (left > 0) counts.set(key, left);
  else counts.delete(key);
}

/** graphql-ws's own code for "too many", which its clients do not retry. */
export const CLOSE_TOO_MANY = 4429;

export interface WebSocketEndpoint {
  /** Open client sockets (leak checks). */
  clients(): number;
  /**
   * Re-checks at once every open socket of a person (their role or standing changed, or sessions ended): a socket
   * whose session ended closes 4401, one whose viewer changed 4403. Answers how many closed.
   */
  recheckUser(userId: string): Promise<number>;
  close(): Promise<void>;
}

const clientError = (message: string, code: string) => new GraphQLError(message, { extensions: { code } });

/**
 * Errors as a socket sends them: without `extensions.http`, the status a refusal sets on an HTTP answer, which
 * Apollo takes off before answering; a socket has no status, and both transports show the same extensions.
 */
function socketErrors(errors: readonly GraphQLFormattedError[]): GraphQLFormattedError[] {
  return errors.map((error) => {
    if (!error.extensions || !('http' in error.extensions)) return error;
    const { http: _status, ...extensions } = error.extensions;
    return { ...error, extensions };
  });
}

export function serveWebSocket(
  server: Server,
  deps: {
    federation: Federation;
    apollo: ApolloServer<GatewayContext>;
    sessions: SessionResolver;
    /** Where the identity provider finds a session in `connection_init`. */
    /** From `connection_init`, else the upgrade request (a browser's same-site session cookie). */
    sessionFrom(
      params: Readonly<Record<string, unknown>> | undefined,
      upgrade: IncomingHttpHeaders,
    ): PresentedSession | undefined;
    /** Generic mode: headers (or `connection_init` entries) passed on to subgraphs. */
    forwardHeaders?: readonly string[];
    logger: Logger;
    /** Operation limits (subscriptions never reach Apollo's plugins), client address, subscription metrics. */
    protection?: Protection;
    masking?: MaskingOptions;
    /**
     * The largest message a client may send, as the largest HTTP body (a subscribe message is an operation like a
     * POST's); a larger one closes the socket with 1009 before it is read whole. ws's own default is 100 MiB.
     */
    maxPayloadBytes?: number;
  },
): WebSocketEndpoint {
  const { protection, logger } = deps;
  const limits = protection?.limits ?? PROTECTION_DEFAULTS.limits;
  const caps = protection?.subscriptions ?? PROTECTION_DEFAULTS.subscriptions;
  /** Connections each client address holds open, from its upgrade until its TCP socket closes. */
  const socketsAt = new Map<string, number>();
  const wss = new WebSocketServer({
    server,
    path: '/graphql',
    maxPayload: deps.maxPayloadBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    // Before the handshake, signed in or not: anonymous sockets, which socketsPerUser never counts, are held here
    // too. Counted until the TCP socket closes, so a handshake that fails after this check gives its place back.
    // Each upgrade also spends one of its address's upgradesPerMinute (a budget of its own, so sockets reopened
    // after a network drop do not stop the address's requests): a client opening and closing sockets in a loop,
    // never holding many at once, pays for every handshake it makes.
    verifyClient({ req }, accept) {
      const address = clientAddress(req.headers, req.socket.remoteAddress, protection?.trustProxy ?? false);
      const open = socketsAt.get(address) ?? 0;
      if (open >= caps.socketsPerAddress) {
        protection?.metrics?.rateLimited.inc();
        return accept(false, 429, 'Too Many Requests', { 'retry-after': '10' });
      }
      socketsAt.set(address, open + 1);
      req.socket.once('close', () => countDown(socketsAt, address));
      if (!protection?.rateLimit.enabled) return accept(true);
      protection.rateLimit.limiter
        .consume(`upgrades:${address}`, { limit: caps.upgradesPerMinute, windowSeconds: 60 })
        .then(
          (spent) => {
            if (spent.allowed) return accept(true);
            protection.metrics?.rateLimited.inc();
            accept(false, 429, 'Too Many Requests', { 'retry-after': String(spent.retryAfterSeconds) });
          },
          // A limiter outage (Redis away) must not refuse every socket: serve, as requests are served.
          () => accept(true),
        );
    },
  });
  const validateOperation = validateWithOperationLimits(limits);
  const auth = authenticationStage({
    sessions: deps.sessions,
    fromHeaders: () => undefined,
    trustProxy: false,
  });
  const perUser = new Map<string, number>();
  /** Connections each signed-in person holds open (acknowledged ones, counted under the person they began as). */
  const socketsOf = new Map<string, number>();
  const extra = (ctx: { extra: unknown }) => ctx.extra as ConnectionExtra;
  /** Every open connection, for re-checking a person's sockets when identity announces a change. */
  const connections = new Set<ConnectionExtra>();

  /** Stage 3 again for an open socket: closes it when its viewer signed out (4401) or changed (4403). */
  const recheck = async (connection: ConnectionExtra): Promise<boolean> => {
    const outcome = await auth.recheck(connection.session, connection.viewer ?? null);
    if (outcome === 'same') return true;
    if (outcome === 'signed-out') connection.socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized');
    else connection.socket.close(CLOSE_FORBIDDEN, 'Forbidden: the session changed; reconnect');
    return false;
  };

  const contextFor = (connection: ConnectionExtra, params: unknown): GatewayContext => ({
    viewer: connection.viewer ?? null,
    requestId: requestIdOf(),
    session: connection.session,
    clientAddress: clientAddress(
      connection.request.headers,
      connection.request.socket.remoteAddress,
      protection?.trustProxy ?? false,
    ),
    ...(typeof connection.request.headers['user-agent'] === 'string'
      ? { userAgent: connection.request.headers['user-agent'].slice(0, 256) }
      : {}),
    frontDoor: 'graphql-ws',
    ...(deps.forwardHeaders?.length
      ? {
          forwardedHeaders: forwardedFromConnection(
            connection.request.headers,
            params as Readonly<Record<string, unknown>> | undefined,
            deps.forwardHeaders,
          ),
        }
      : {}),
  });

  /** Stages 2-5 for one operation: the execution arguments, or the errors the client gets. */
  const admit = async (
    connection: ConnectionExtra,
    params: unknown,
    id: string,
    payload: SubscribePayload,
  ): Promise<ExecutionArgs | GraphQLError[]> => {
    const contextValue = contextFor(connection, params);
    connection.requestIds.set(id, contextValue.requestId);
    const limited = documentLimitError(payload.query, limits);
    if (limited) return [limited];
    if (!(await recheck(connection))) return [clientError('Unauthorized', 'UNAUTHENTICATED')];
    let document: DocumentNode;
    try {
      document = parse(payload.query, { maxTokens: limits.maxTokens });
    } catch (err) {
      return [clientError((err as Error).message, 'GRAPHQL_PARSE_FAILED')];
    }
    const schema = deps.federation.schema;
    const invalid = validateOperation(schema, document, specifiedRules);
    if (invalid.length)
      return invalid.map((e) =>
        e.extensions?.code ? e : clientError(e.message, 'GRAPHQL_VALIDATION_FAILED'),
      );
    const operationName = payload.operationName ?? undefined;
    const operation = getOperationAST(document, operationName);
    if (!operation) return [unknownOperationError(document, operationName)];
    const variables = (payload.variables ?? {}) as Record<string, unknown>;
    const refused = inputError(document, variables);
    if (refused) return [refused];
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
    if (coerced.errors) return coerced.errors.map((e) => clientError(e.message, ErrorCode.BAD_USER_INPUT));
    const oversize = resultSizeViolation(schema, operation, fragmentsOf(document), variables, limits);
    if (oversize) return [limitError(oversize)];
    // A subscription spends the budget here; a query or mutation spends it once, in Apollo's rate-limit plugin, as
    // over HTTP (spending here too counted each one twice: half the budget, and five login attempts, not ten).
    if (protection && operation.operation === 'subscription') {
      const retryAfter = await protection.budget(contextValue, loginEmails(document, operation, variables));
      if (retryAfter > 0) return [rateLimitedError(retryAfter)];
    }
    if (operation.operation === 'subscription') {
      if (connection.subscriptions.size + connection.admitted.size >= caps.perConnection)
        return [
          clientError(
            `At most ${caps.perConnection} subscriptions may be open on one connection`,
            ErrorCode.BAD_USER_INPUT,
          ),
        ];
      const user = contextValue.viewer?.kind === 'user' ? contextValue.viewer.id : undefined;
      if (user && (perUser.get(user) ?? 0) >= caps.perUser)
        return [
          clientError(
            `At most ${caps.perUser} subscriptions may be open per person`,
            ErrorCode.BAD_USER_INPUT,
          ),
        ];
      connection.admitted.set(id, user);
      if (user) perUser.set(user, (perUser.get(user) ?? 0) + 1);
    }
    return { schema, document, operationName, variableValues: variables, contextValue };
  };

  const leave = (user: string | undefined) => {
    if (user) countDown(perUser, user);
  };
  /** Gives back the place of a subscription admitted that never opened (refused, failed, completed first, or gone). */
  const unadmit = (connection: ConnectionExtra, id: string) => {
    if (!connection.admitted.has(id)) return;
    const user = connection.admitted.get(id);
    connection.admitted.delete(id);
    leave(user);
  };

  /** Holds a subscription's place in the caps while its stream is open; every event re-checks the viewer. */
  const tracked = (
    connection: ConnectionExtra,
    id: string,
    context: GatewayContext,
    events: UpstreamEvents,
  ) => {
    const user = context.viewer?.kind === 'user' ? context.viewer.id : undefined;
    // The place it was admitted with is now the open subscription's.
    if (!connection.admitted.delete(id) && user) perUser.set(user, (perUser.get(user) ?? 0) + 1);
    connection.subscriptions.add(id);
    protection?.metrics?.activeSubscriptions.inc();
    const refused = async () => {
      // Closing the socket ends this stream through graphql-ws; the event itself is never delivered.
      if (!(await recheck(connection)))
        return { data: null, errors: [clientError('Unauthorized', 'UNAUTHENTICATED')] };
      return undefined;
    };
    return eventStream<ExecutionResult>(events, {
      // Without waiting when the viewer's session is cached and unchanged, as it is for nearly every event.
      map: (event) =>
        auth.recheckNow(connection.session, connection.viewer ?? null) === 'same'
          ? event
          : refused().then((refusal) => refusal ?? event),
      onClose: () => {
        connection.subscriptions.delete(id);
        leave(user);
        protection?.metrics?.activeSubscriptions.dec();
      },
    });
  };

  // Operations of a connection whose connection_init named a trace (`traceparent`) continue that trace.
  const clientTraces = new WeakMap<object, Record<string, unknown>>();
  const inClientTrace = <T>(contextValue: unknown, name: string, work: () => Promise<T>): Promise<T> =>
    inRemoteSpan(clientTraces.get(contextValue as object), name, work);
  const execute = async (args: ExecutionArgs): Promise<ExecutionResult> => {
    const contextValue = args.contextValue as GatewayContext;
    const response = await deps.apollo.executeOperation(
      {
        query: print(args.document),
        variables: args.variableValues as Record<string, unknown> | undefined,
        operationName: args.operationName ?? undefined,
      },
      { contextValue },
    );
    if (response.body.kind !== 'single')
      throw new Error('incremental delivery is not served over graphql-ws');
    return response.body.singleResult as ExecutionResult;
  };
  const subscribe = (args: ExecutionArgs) =>
    subscribeFederated(deps.federation, {
      document: args.document,
      operationName: args.operationName,
      variables: args.variableValues as Record<string, unknown> | undefined,
      context: args.contextValue as GatewayContext,
      logger,
    });

  const disposable = serveGraphqlWs<Record<string, unknown> | undefined, ConnectionExtra>(
    {
      schema: () => deps.federation.schema,
      async onConnect(ctx) {
        let session = deps.sessionFrom(ctx.connectionParams, ctx.extra.request.headers);
        try {
          extra(ctx).viewer = await deps.sessions.authenticate(session);
        } catch (err) {
          if (!(err instanceof InvalidSessionError)) throw err;
          // A stale cookie cannot be cleared over a socket; like HTTP, it leaves the socket anonymous.
          if (session?.source === 'cookie') {
            session = undefined;
            extra(ctx).viewer = null;
            extra(ctx).session = session;
            return true;
          }
          // Closed here with our code; graphql-ws's own 4403 close that follows `false` is then a no-op.
          ctx.extra.socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized');
          return false;
        }
        extra(ctx).session = session;
        const viewer = extra(ctx).viewer;
        if (viewer?.kind === 'user') {
          const open = socketsOf.get(viewer.id) ?? 0;
          if (open >= caps.socketsPerUser) {
            // graphql-ws's clients do not retry a 4429: a script opening sockets in a loop stops here.
            ctx.extra.socket.close(CLOSE_TOO_MANY, `At most ${caps.socketsPerUser} connections per person`);
            return false;
          }
          socketsOf.set(viewer.id, open + 1);
          extra(ctx).countedAs = viewer.id;
        }
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const admitted = await admit(extra(ctx), ctx.connectionParams, id, payload);
        // A client's connection_init may name the trace its operations belong to (`traceparent`).
        if (!Array.isArray(admitted) && ctx.connectionParams?.traceparent)
          clientTraces.set(admitted.contextValue as object, ctx.connectionParams);
        return admitted;
      },
      execute: (args) =>
        inClientTrace(args.contextValue, `graphql-ws ${args.operationName ?? 'operation'}`, () =>
          execute(args),
        ),
      subscribe: (args) =>
        inClientTrace(args.contextValue, `graphql-ws subscribe ${args.operationName ?? 'subscription'}`, () =>
          subscribe(args),
        ),
      onOperation(ctx, id, _payload, args, result) {
        if (!isEventStream(result as UpstreamEvents | ExecutionResult)) return void unadmit(extra(ctx), id);
        return tracked(extra(ctx), id, args.contextValue as GatewayContext, result as UpstreamEvents);
      },
      onNext(_ctx, _id, _payload, args, result) {
        if (!result.errors) return;
        const { requestId } = args.contextValue as GatewayContext;
        return {
          ...result,
          errors: socketErrors(maskErrors(result.errors, requestId, logger, deps.masking)),
        };
      },
      onError(ctx, id, _payload, errors) {
        const requestId = extra(ctx).requestIds.get(id) ?? requestIdOf();
        extra(ctx).requestIds.delete(id);
        unadmit(extra(ctx), id);
        return socketErrors(maskErrors(errors, requestId, logger, deps.masking));
      },
      onComplete(ctx, id) {
        extra(ctx).requestIds.delete(id);
        unadmit(extra(ctx), id);
      },
    },
    wss,
    logger,
    (socket, request) => {
      const connection = {
        socket,
        request,
        requestIds: new Map(),
        subscriptions: new Set(),
        admitted: new Map(),
      } as ConnectionExtra;
      connections.add(connection);
      socket.once('close', () => {
        connections.delete(connection);
        if (connection.countedAs) countDown(socketsOf, connection.countedAs);
        for (const id of [...connection.admitted.keys()]) unadmit(connection, id);
      });
      return connection;
    },
  );
  return {
    clients: () => wss.clients.size,
    async recheckUser(userId) {
      const theirs = [...connections].filter((c) => c.viewer?.kind === 'user' && c.viewer.id === userId);
      const kept = await Promise.all(theirs.map((connection) => recheck(connection)));
      return kept.filter((ok) => !ok).length;
    },
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
