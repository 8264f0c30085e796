// The gateway's metrics on prom-client: the process's default metrics (CPU, memory, event-loop lag, GC) and the
// sting_* ones: requests, their duration and errors, operations by root field, credentials used, plain HTTP routes,
// subgraph fetches, live subscriptions and rate-limit refusals. One registry per gateway; `GET /metrics` writes it
// out followed by the process's platform metrics (kit's platform-metrics.ts: subgraphs, events, Bee, logs).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SubgraphName } from '@sting/kit/subgraph/names.ts';
import type { SubgraphRequest } from '@sting/kit/subgraph/host.ts';
import { platformMetricsText } from '@sting/kit/metrics/platform-metrics.ts';
import type { FetchObserver } from '../topology/endpoint.ts';

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = this.#counter('sting_graphql_requests_total', 'GraphQL operations answered', [
    'operation_type',
    'outcome',
  ]);
  readonly duration = this.#histogram(
    'sting_graphql_request_duration_seconds',
    'Time to answer a GraphQL operation',
    ['operation_type'],
  );
  readonly errors = this.#counter(
    'sting_graphql_errors_total',
    'Errors returned to clients, by extensions.code',
    ['code'],
  );
  /**
   * Per operation, named by its first root field: the schema bounds that set (an operation reaches here only
   * after validation), where client-chosen operation names would not.
   */
  readonly operations = this.#counter(
    'sting_graphql_operations_total',
    'GraphQL operations answered, by type, first root field and outcome',
    ['operation_type', 'operation', 'outcome'],
  );
  readonly operationDuration = this.#histogram(
    'sting_graphql_operation_duration_seconds',
    'Time to answer a GraphQL operation, by first root field',
    ['operation'],
  );
  readonly credentials = this.#counter(
    'sting_graphql_credentials_total',
    'GraphQL operations by the credential that authenticated them (session, api_key, none)',
    ['credential'],
  );
  readonly httpRequests = this.#counter(
    'sting_http_requests_total',
    'Plain HTTP and REST routes answered, by route name and status',
    ['route', 'status'],
  );
  readonly httpDuration = this.#histogram(
    'sting_http_request_duration_seconds',
    'Time to answer a plain HTTP or REST route',
    ['route'],
  );
  readonly subgraphFetches = this.#counter(
    'sting_subgraph_fetches_total',
    'Fetches the gateway made to each subgraph',
    ['subgraph'],
  );
  readonly activeSubscriptions = new Gauge({
    name: 'sting_active_subscriptions',
    help: 'Subscriptions currently open over graphql-ws',
    registers: [this.registry],
  });
  readonly rateLimited = this.#counter(
    'sting_rate_limited_total',
    'Operations refused by the rate limiter',
    [],
  );

  #counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  #histogram<L extends string>(name: string, help: string, labelNames: readonly L[]): Histogram<L> {
    return new Histogram({ name, help, labelNames, registers: [this.registry] });
  }

  constructor(options: { defaultMetrics?: boolean } = {}) {
    // Default metrics sample the event loop on a timer of their own; several gateways in one test process would
    // each add one, so tests may leave them out.
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Counts each subgraph fetch, then tells `next` (a caller's own observer keeps working). */
  observingFetches(next?: FetchObserver): FetchObserver {
    return (subgraph: SubgraphName, request: SubgraphRequest) => {
      this.subgraphFetches.inc({ subgraph });
      next?.(subgraph, request);
    };
  }

  observeHttp(route: string, status: number, seconds: number): void {
    this.httpRequests.inc({ route, status: String(status) });
    this.httpDuration.observe({ route }, seconds);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  async expose(): Promise<string> {
    return (await this.registry.metrics()) + (await platformMetricsText());
  }
}
