// The gateway's metrics, by name: requests, their duration and errors, subgraph fetches, live subscriptions
// and rate-limit refusals. One instance per gateway; `GET /metrics` writes it out.
import type { ExecutionResult } from 'graphql';
import type { SubgraphName, SubgraphRequest } from '@sting/kit';
import { eventStream } from '../subscriptions/event-stream.ts';
import { isEventStream, type FetchObserver, type UpstreamEvents } from '../topology/endpoint.ts';
import { Counter, Gauge, Histogram, MetricsRegistry } from './registry.ts';

export class GatewayMetrics {
  readonly registry = new MetricsRegistry();
  readonly requests = this.registry.register(
    new Counter('sting_graphql_requests_total', 'GraphQL operations answered', ['operation_type', 'outcome']),
  );
  readonly duration = this.registry.register(
    new Histogram('sting_graphql_request_duration_seconds', 'Time to answer a GraphQL operation', [
      'operation_type',
    ]),
  );
  readonly errors = this.registry.register(
    new Counter('sting_graphql_errors_total', 'Errors returned to clients, by extensions.code', ['code']),
  );
  readonly subgraphFetches = this.registry.register(
    new Counter('sting_subgraph_fetches_total', 'Fetches the gateway made to each subgraph', ['subgraph']),
  );
  readonly activeSubscriptions = this.registry.register(
    new Gauge('sting_active_subscriptions', 'Subscriptions currently open over graphql-ws'),
  );
  readonly rateLimited = this.registry.register(
    new Counter('sting_rate_limited_total', 'Operations refused by the rate limiter', []),
  );

  /** Counts each subgraph fetch, then tells `next` (a caller's own observer keeps working). */
  observingFetches(next?: FetchObserver): FetchObserver {
    return (subgraph: SubgraphName, request: SubgraphRequest) => {
      this.subgraphFetches.inc({ subgraph });
      next?.(subgraph, request);
    };
  }

  /** Counts a subscription as active from its start until its stream closes, however it closes. */
  async countSubscription(
    started: Promise<UpstreamEvents | ExecutionResult>,
  ): Promise<UpstreamEvents | ExecutionResult> {
    const result = await started;
    if (!isEventStream(result)) return result;
    this.activeSubscriptions.inc();
    return eventStream(result, { onClose: () => this.activeSubscriptions.dec() });
  }

  expose(): string {
    return this.registry.expose();
  }
}
