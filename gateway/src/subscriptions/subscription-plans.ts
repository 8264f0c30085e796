// Subscription plans of one supergraph, cached per operation (printed document + operation name). A reload builds
// a new planning state and with it an empty cache, so no plan outlives the supergraph it was made for.
import { buildOperationContext, type GraphQLDataSource } from '@apollo/gateway';
import { operationFromDocument, type Schema } from '@apollo/federation-internals';
import type { FetchNode, PlanNode, QueryPlan, QueryPlanner } from '@apollo/query-planner';
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

interface PlannerInputs {
  planner: QueryPlanner;
  apiSchema: Schema;
  apiGraphQLSchema: GraphQLSchema;
}

export class SubscriptionPlans {
  readonly #inputs: PlannerInputs;
  readonly #maxEntries: number;
  readonly #plans = new Map<string, PlanOutcome>();
  /** Planner runs so far (tests check the cache with it). */
  built = 0;

  constructor(inputs: PlannerInputs, maxEntries = 1000) {
    this.#inputs = inputs;
    this.#maxEntries = maxEntries;
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
    const { planner, apiSchema, apiGraphQLSchema } = this.#inputs;
    const operationContext = buildOperationContext({
      schema: apiGraphQLSchema,
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
