// The gateway's metrics on prom-client: the process's default metrics (CPU, memory, event-loop lag, GC) and the
// sting_* ones: requests, their duration and errors, plain HTTP routes, subgraph fetches, live subscriptions and
// rate-limit refusals. One registry per gateway; `GET /metrics` writes it out.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SubgraphName, SubgraphRequest } from '@sting/kit';
import type { FetchObserver } from '../topology/endpoint.ts';

export class GatewayMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'sting_graphql_requests_total',
    help: 'GraphQL operations answered',
    labelNames: ['operation_type', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'sting_graphql_request_duration_seconds',
    help: 'Time to answer a GraphQL operation',
    labelNames: ['operation_type'] as const,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'sting_graphql_errors_total',
    help: 'Errors returned to clients, by extensions.code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly httpRequests = new Counter({
    name: 'sting_http_requests_total',
    help: 'Plain HTTP and REST routes answered, by route name and status',
    labelNames: ['route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'sting_http_request_duration_seconds',
    help: 'Time to answer a plain HTTP or REST route',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });
  readonly subgraphFetches = new Counter({
    name: 'sting_subgraph_fetches_total',
    help: 'Fetches the gateway made to each subgraph',
    labelNames: ['subgraph'] as const,
    registers: [this.registry],
  });
  readonly activeSubscriptions = new Gauge({
    name: 'sting_active_subscriptions',
    help: 'Subscriptions currently open over graphql-ws',
    registers: [this.registry],
  });
  readonly rateLimited = new Counter({
    name: 'sting_rate_limited_total',
    help: 'Operations refused by the rate limiter',
    registers: [this.registry],
  });

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

  expose(): Promise<string> {
    return this.registry.metrics();
  }
}
