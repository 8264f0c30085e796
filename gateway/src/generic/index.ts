// The gateway for any composed supergraph: subgraph names and URLs come from its join__Graph entries, callers'
// configured headers are forwarded in place of STING sessions, and everything else (limits, rate limits, error
// masking, metrics, federated subscriptions over graphql-ws) is the STING gateway's own pipeline.
import type { Logger } from 'pino';
import { startGateway, type GatewayOptions, type RunningGateway } from '../gateway.ts';
import type { GatewaySettings } from '../settings.ts';
import type { FetchObserver, SubgraphEndpoint } from '../topology/endpoint.ts';
import { DEFAULT_FORWARD_HEADERS, noSessionProvider, normalizeForwardHeaders } from './forwarded-headers.ts';
import { forwardingEndpoint } from './forwarding-endpoint.ts';

export interface GenericGatewayOptions {
  /** A composed supergraph: a file (re-read when it changes) or an http(s) URL (polled). */
  supergraph: string;
  host?: string;
  /** 0 picks a free port. Default 4000. */
  port?: number;
  /** Production serves /metrics on a listener of its own (`gateway.metrics.port`, default 9464); 0 picks one. */
  metricsPort?: number;
  /** Production turns introspection and the playground off. Default production. */
  profile?: GatewaySettings['profile'];
  /** Request headers passed on to every subgraph. Default: `authorization`. */
  forwardHeaders?: readonly string[];
  logger: Logger;
  /** Limits, rate limit, metrics, trustProxy: as `gateway.*` in config.yml (the same defaults). */
  protection?: Partial<Pick<GatewaySettings['gateway'], 'limits' | 'rateLimit' | 'metrics' | 'trustProxy'>>;
  observeFetch?: FetchObserver;
  supergraphSource?: GatewayOptions['supergraphSource'];
}

/**
 * The endpoint of a join__Graph entry. One without an http(s) URL is refused, and with it the supergraph: the
 * gateway does not start (before anything listens, with a message naming the entry), or a reload keeps the last one.
 */
function supergraphEndpoint(name: string, url: string, observe?: FetchObserver): SubgraphEndpoint {
  if (!/^https?:\/\//.test(url)) throw new Error(`join__Graph "${name}" has no http(s) URL (got "${url}")`);
  return forwardingEndpoint(name, url, observe);
}

export async function startGenericGateway(options: GenericGatewayOptions): Promise<RunningGateway> {
  const profile = options.profile ?? 'production';
  return startGateway({
    settings: {
      profile,
      gateway: {
        host: options.host ?? '127.0.0.1',
        port: options.port ?? 4000,
        playground: profile !== 'production',
        supergraph: options.supergraph,
        // Routing comes from the supergraph itself (endpointFor below), never from STING's subgraph list.
        subgraphs: {} as GatewaySettings['gateway']['subgraphs'],
        ...options.protection,
      },
    },
    endpoints: [],
    endpointFor: (name, url) => supergraphEndpoint(name, url, options.observeFetch),
    sessionProvider: noSessionProvider,
    // Its lists are not kit's: a page however large counts as asked in the result-size and cost limits.
    pagesRefusedAbove: Number.POSITIVE_INFINITY,
    forwardHeaders: normalizeForwardHeaders(options.forwardHeaders ?? DEFAULT_FORWARD_HEADERS),
    logger: options.logger,
    port: options.port ?? 4000,
    metricsPort: options.metricsPort,
    supergraphSource: options.supergraphSource,
  });
}
