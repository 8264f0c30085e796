// graphql-ws on /graphql: the session is resolved once from `connection_init`; queries and mutations run
// through the same Apollo pipeline as HTTP, subscriptions through the federated subscription executor.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { GraphQLError, print, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import type { ApolloServer } from '@apollo/server';
import type { Logger } from 'pino';
import type { Viewer } from '@sting/kit';
import type { GatewayContext } from './context.ts';
import type { Federation } from './federation.ts';
import type { PresentedSession } from './identity/session-token.ts';
import { InvalidSessionError, type SessionResolver } from './identity/session-resolver.ts';
import { maskGatewayError } from './plugins/error-masking.ts';
import { subscribeFederated } from './subscriptions/federated-subscription.ts';
import { clientAddress } from './client-address.ts';
import { validateWithOperationLimits } from './plugins/operation-limits.ts';
import type { Protection } from './protection.ts';
import { forwardedFromConnection } from './generic/forwarded-headers.ts';

type ConnectionExtra = { viewer?: Viewer | null; session?: PresentedSession };

/** graphql-ws has no code for this; 4401 mirrors HTTP 401 as its own 4403 mirrors 403. */
export const CLOSE_UNAUTHORIZED = 4401;

export interface WebSocketEndpoint {
  /** Open client sockets (leak checks). */
  clients(): number;
  close(): Promise<void>;
}

function withRequestId(errors: readonly unknown[], requestId: string): GraphQLFormattedError[] {
  return errors.map((error) => {
    const formatted = error instanceof GraphQLError ? error.toJSON() : (error as GraphQLFormattedError);
    const masked = maskGatewayError(formatted, error);
    return { ...masked, extensions: { ...masked.extensions, requestId } };
  });
}

export function serveWebSocket(
  server: Server,
  deps: {
    federation: Federation;
    apollo: ApolloServer<GatewayContext>;
    sessions: SessionResolver;
    /** Where the identity provider finds a session in `connection_init`. */
    sessionFrom(params: Readonly<Record<string, unknown>> | undefined): PresentedSession | undefined;
    /** Generic mode: headers (or `connection_init` entries) passed on to subgraphs. */
    forwardHeaders?: readonly string[];
    logger: Logger;
    /** Operation limits (subscriptions never reach Apollo's plugins), client address, subscription metrics. */
    protection?: Protection;
  },
): WebSocketEndpoint {
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const extra = (ctx: { extra: unknown }) => ctx.extra as ConnectionExtra;
  const disposable = useServer<Record<string, unknown> | undefined, ConnectionExtra>(
    {
      schema: () => deps.federation.schema,
      ...(deps.protection ? { validate: validateWithOperationLimits(deps.protection.limits) } : {}),
      async onConnect(ctx) {
        const session = deps.sessionFrom(ctx.connectionParams);
        try {
          extra(ctx).viewer = await deps.sessions.authenticate(session);
        } catch (err) {
          if (!(err instanceof InvalidSessionError)) throw err;
          // Closed here with our code; graphql-ws's own 4403 close that follows `false` is then a no-op.
          ctx.extra.socket.close(CLOSE_UNAUTHORIZED, 'Unauthorized');
          return false;
        }
        extra(ctx).session = session;
        return true;
      },
      context: (ctx): GatewayContext => ({
        viewer: extra(ctx).viewer ?? null,
        requestId: randomUUID(),
        session: extra(ctx).session,
        clientAddress: clientAddress(
          ctx.extra.request.headers,
          ctx.extra.request.socket.remoteAddress,
          deps.protection?.trustProxy ?? false,
        ),
        ...(deps.forwardHeaders?.length
          ? {
              forwardedHeaders: forwardedFromConnection(
                ctx.extra.request.headers,
                ctx.connectionParams,
                deps.forwardHeaders,
              ),
            }
          : {}),
      }),
      async execute(args) {
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
      },
      subscribe: (args) => {
        const started = subscribeFederated(deps.federation, {
          document: args.document,
          operationName: args.operationName,
          variables: args.variableValues as Record<string, unknown> | undefined,
          context: args.contextValue as GatewayContext,
          logger: deps.logger,
        });
        return deps.protection?.metrics?.countSubscription(started) ?? started;
      },
      onNext(_ctx, _id, _payload, args, result) {
        if (!result.errors) return;
        const { requestId } = args.contextValue as GatewayContext;
        return { ...result, errors: withRequestId(result.errors, requestId) };
      },
      onError(_ctx, _id, _payload, errors) {
        return withRequestId(errors, 'ws');
      },
    },
    wss,
  );
  return {
    clients: () => wss.clients.size,
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
