// Subscription plans of one supergraph, cached per operation (printed document + operation name). A reload builds
// a new planning state and with it an empty cache, so no plan outlives the supergraph it was made for. Apollo's
// gateway keeps its query planner to itself, so subscriptions are planned by one of their own, built from the
// supergraph by its first subscription: a gateway that serves none never builds a second planner and schema.
import { buildOperationContext, type GraphQLDataSource } from '@apollo/gateway';
import { operationFromDocument, Supergraph, type Schema } from '@apollo/federation-internals';
import { QueryPlanner, type FetchNode, type PlanNode, type QueryPlan } from '@apollo/query-planner';
import { print, type DocumentNode, type GraphQLSchema } from 'graphql';

/** Service name of the synthetic fetch that hands an event to the executor; never a real subgraph name. */
export const EVENT_SOURCE = '__subscription_event__';

type OperationContext = ReturnType<typeof buildOperationContext>;

export interface SubscriptionPlan {
  /** Identifies the operation within this supergraph (memo keys for shared event completion). */
  key: string;
  /** The subscription fetch sent to the subgraph that owns the root field. */
  primary: FetchNode;
  /** What runs per event: the primary fetch answered by the event, then the rest of the plan. */
  eventPlan: QueryPlan;
  operationContext: OperationContext;
}

export type PlanOutcome = SubscriptionPlan | { notASubscription: true };

/** What subscriptions of one supergraph are planned and their events completed with. */
export interface SubscriptionPlanner {
  planner: QueryPlanner;
  /** The public API schema (federation-internals form, for planning and result shaping). */
  apiSchema: Schema;
  supergraphSchema: GraphQLSchema;
}

export class SubscriptionPlans {
  readonly #apiGraphQLSchema: GraphQLSchema;
  readonly #supergraphSdl: string;
  readonly #maxEntries: number;
  readonly #plans = new Map<string, PlanOutcome>();
  #planner: SubscriptionPlanner | undefined;
  /** Planner runs so far (tests check the cache with it). */
  built = 0;

  /** `apiGraphQLSchema` is the API schema of `supergraphSdl` that Apollo's gateway serves. */
  constructor(apiGraphQLSchema: GraphQLSchema, supergraphSdl: string, maxEntries = 1000) {
    this.#apiGraphQLSchema = apiGraphQLSchema;
    this.#supergraphSdl = supergraphSdl;
    this.#maxEntries = maxEntries;
  }

  /** The supergraph's planner and schemas, built on first use. */
  get planner(): SubscriptionPlanner {
    if (!this.#planner) {
      const supergraph = Supergraph.build(this.#supergraphSdl);
      this.#planner = {
        planner: new QueryPlanner(supergraph),
        apiSchema: supergraph.apiSchema(),
        supergraphSchema: supergraph.schema.toGraphQLJSSchema(),
      };
    }
    return this.#planner;
  }

  /** Whether the planner has been built (tests). */
  get plannerBuilt(): boolean {
    return this.#planner !== undefined;
  }

  plan(document: DocumentNode, operationName: string | undefined): PlanOutcome {
    const key = `${operationName ?? ''}\n${print(document)}`;
    const cached = this.#plans.get(key);
    if (cached) {
      // Re-inserted so the Map's order is least recently used first.
      this.#plans.delete(key);
      this.#plans.set(key, cached);
      return cached;
    }
    const outcome = this.#build(key, document, operationName);
    if (this.#plans.size >= this.#maxEntries) this.#plans.delete(this.#plans.keys().next().value!);
    this.#plans.set(key, outcome);
    return outcome;
  }

  #build(key: string, document: DocumentNode, operationName: string | undefined): PlanOutcome {
    const { planner, apiSchema } = this.planner;
    const operationContext = buildOperationContext({
      schema: this.#apiGraphQLSchema,
      operationDocument: document,
      operationName,
    });
    const plan = planner.buildQueryPlan(operationFromDocument(apiSchema, document, { operationName }));
    this.built++;
    if (plan.node?.kind !== 'Subscription') return { notASubscription: true };
    const { primary, rest } = plan.node;
    const seed: FetchNode = { ...primary, serviceName: EVENT_SOURCE };
    const node: PlanNode = rest ? { kind: 'Sequence', nodes: [seed, rest] } : seed;
    return { key, primary, eventPlan: { kind: 'QueryPlan', node }, operationContext };
  }
}

/** Data sources by subgraph name, as the plan executor wants them. */
export function serviceMapOf(
  endpoints: ReadonlyMap<string, { dataSource: GraphQLDataSource<any> }>,
): Record<string, GraphQLDataSource> {
  const map: Record<string, GraphQLDataSource> = {};
  for (const [name, { dataSource }] of endpoints) map[name] = dataSource;
  return map;
}
