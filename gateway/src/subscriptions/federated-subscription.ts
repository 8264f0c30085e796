// Federated subscriptions, which @apollo/gateway refuses to execute. The planner splits the operation into a
// primary fetch (a subscription on the subgraph owning the root field) and the rest of the plan; each event is
// fed into Apollo's own plan executor as the result of that primary fetch, so entity fetches to other subgraphs
// run exactly as they do for a query. Identical subscribers (operation, variables, viewer) share one upstream
// subscription and one completion of each event (shared-upstreams.ts).
import { createHash } from 'node:crypto';
import { executeQueryPlan, type GraphQLDataSource } from '@apollo/gateway';
import type { GatewayGraphQLRequestContext } from '@apollo/server-gateway-interface';
import { GraphQLError, type DocumentNode, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { inSpan } from '@sting/kit/tracing/index.ts';
import type { GatewayContext } from '../context.ts';
import type { Federation } from '../federation.ts';
import { viewerKey } from '../identity/assertion-signer.ts';
import { isEventStream, type UpstreamEvents } from '../topology/endpoint.ts';
import { EVENT_SOURCE, serviceMapOf } from './subscription-plans.ts';

export interface SubscriptionRequest {
  document: DocumentNode;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  context: GatewayContext;
  logger: Logger;
}

function failure(message: string, code = 'INTERNAL_SERVER_ERROR'): ExecutionResult {
  return { errors: [new GraphQLError(message, { extensions: { code } })] };
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` name the same variables. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export async function subscribeFederated(
  federation: Federation,
  request: SubscriptionRequest,
): Promise<UpstreamEvents | ExecutionResult> {
  // The plan is tied to the supergraph of the moment the subscription starts; a reload affects later ones.
  const planning = federation.planning;
  const operationName = request.operationName ?? undefined;
  const variables = request.variables ?? {};
  const plan = await inSpan('gateway.plan', async () =>
    planning.subscriptionPlans.plan(request.document, operationName),
  );
  if ('notASubscription' in plan) return failure('Not a subscription operation', 'BAD_USER_INPUT');
  const { primary, eventPlan, operationContext } = plan;
  const { supergraphSchema, apiSchema } = planning.subscriptionPlans.planner;

  const endpoint = federation.endpoints.get(primary.serviceName);
  if (!endpoint) return failure(`Subscription source ${primary.serviceName} is not available`);
  const primaryVariables: Record<string, unknown> = {};
  for (const name of primary.variableUsages ?? []) {
    if (variables[name] !== undefined) primaryVariables[name] = variables[name];
  }
  const serviceMap = serviceMapOf(federation.endpoints);
  // Everything the events depend on: the viewer and what is forwarded on its behalf keep authorisation apart.
  const group = createHash('sha256')
    .update(
      `${plan.key}\0${canonicalJson(variables)}\0${viewerKey(request.context.viewer)}\0${canonicalJson(request.context.forwardedHeaders ?? {})}`,
    )
    .digest('base64url');

  const completeEvent = async (event: ExecutionResult): Promise<ExecutionResult> => {
    if (!event.data) return { errors: event.errors ?? [new GraphQLError('Empty subscription event')] };
    const eventSource: GraphQLDataSource = {
      process: async () => ({
        data: event.data,
        errors: event.errors?.map((e) =>
          e instanceof GraphQLError ? e.toJSON() : (e as GraphQLFormattedError),
        ),
      }),
    };
    const requestContext = {
      request: { query: '', variables, operationName },
      document: request.document,
      operationName: operationName ?? null,
      context: request.context,
      logger: request.logger,
      metrics: {},
      cache: undefined,
      overallCachePolicy: undefined,
    } as unknown as GatewayGraphQLRequestContext;
    const result = await executeQueryPlan(
      eventPlan,
      { ...serviceMap, [EVENT_SOURCE]: eventSource },
      requestContext,
      operationContext,
      supergraphSchema,
      apiSchema,
    );
    return { data: result.data, errors: result.errors } as ExecutionResult;
  };

  // The first subscriber of the group opens the upstream with its context; the others share it.
  return planning.upstreams.join(group, async () => {
    const upstream = await endpoint.subscribe(
      { query: primary.operation, variables: primaryVariables, operationName: primary.operationName },
      request.context,
    );
    return isEventStream(upstream) ? { events: upstream, complete: completeEvent } : upstream;
  });
}
