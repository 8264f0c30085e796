// The federated graph: Apollo's gateway for queries and mutations, plus what the subscriptions this gateway executes
// itself need of the current supergraph (see subscriptions/subscription-plans.ts). Both follow supergraph updates
// together.
import { ApolloGateway, type GraphQLDataSource } from '@apollo/gateway';
import type { GraphQLSchema } from 'graphql';
import type { Logger } from 'pino';
import type { GatewayContext } from './context.ts';
import { SharedUpstreams } from './subscriptions/shared-upstreams.ts';
import { SubscriptionPlans } from './subscriptions/subscription-plans.ts';
import { supergraphSource, type SupergraphSourceOptions } from './supergraph-source.ts';
import type { SubgraphEndpoint } from './topology/endpoint.ts';

export interface PlanningState {
  /** The public API schema Apollo's gateway serves (validation and operation context over graphql-ws). */
  apiGraphQLSchema: GraphQLSchema;
  /** Subscription plans for this supergraph only: a reload starts with an empty cache. */
  subscriptionPlans: SubscriptionPlans;
  /** Upstream subscriptions shared by identical subscribers of this supergraph. */
  upstreams: SharedUpstreams;
}

export class Federation {
  readonly gateway: ApolloGateway;
  readonly #endpoints: Map<string, SubgraphEndpoint>;
  readonly #endpointFor: ((name: string, url: string) => SubgraphEndpoint) | undefined;
  #planning: PlanningState | undefined;

  constructor(options: {
    supergraph: string;
    endpoints: SubgraphEndpoint[];
    logger: Logger;
    source?: SupergraphSourceOptions;
    /**
     * Generic mode: the endpoint of a subgraph the supergraph names (its join__Graph name and URL, '' when the entry
     * has none) and none of `endpoints` serves; called once per name, including names a reloaded supergraph adds.
     * Throwing refuses the supergraph: the gateway does not start, or a reload keeps the previous one.
     */
    endpointFor?: (name: string, url: string) => SubgraphEndpoint;
  }) {
    this.#endpoints = new Map(options.endpoints.map((endpoint) => [endpoint.name, endpoint]));
    this.#endpointFor = options.endpointFor;
    const log = options.logger;
    // Apollo's gateway otherwise sends anonymous usage metrics to Apollo's servers: a self-hosted gateway sends
    // nothing where it was not told to. An operator may still opt in (APOLLO_TELEMETRY_DISABLED=false).
    process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
    this.gateway = new ApolloGateway({
      supergraphSdl: supergraphSource(options.supergraph, {
        onError: (err) => log.error({ err }, 'supergraph update rejected'),
        ...options.source,
      }),
      buildService: ({ name, url }) => {
        if (!this.#endpoints.has(name) && this.#endpointFor)
          this.#endpoints.set(name, this.#endpointFor(name, url ?? ''));
        return this.dataSource(name);
      },
      logger: log,
    });
    this.gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
      this.#planning = {
        apiGraphQLSchema: apiSchema,
        subscriptionPlans: new SubscriptionPlans(apiSchema, coreSupergraphSdl),
        upstreams: new SharedUpstreams(),
      };
      log.info('supergraph loaded');
    });
  }

  get endpoints(): ReadonlyMap<string, SubgraphEndpoint> {
    return this.#endpoints;
  }

  dataSource(name: string): GraphQLDataSource<GatewayContext> {
    const endpoint = this.#endpoints.get(name);
    if (!endpoint)
      throw new Error(`the supergraph names subgraph "${name}", which this gateway does not host`);
    return endpoint.dataSource;
  }

  /** Planning state of the supergraph currently served; throws before the first load. */
  get planning(): PlanningState {
    if (!this.#planning) throw new Error('supergraph not loaded yet');
    return this.#planning;
  }

  /** The public schema currently served (what clients validate against). */
  get schema(): GraphQLSchema {
    return this.planning.apiGraphQLSchema;
  }
}
