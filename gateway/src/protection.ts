// The gateway's protective settings resolved once: operation limits, rate limiting, metrics and whether a proxy's
// `x-forwarded-for` is believed. Keys a caller leaves out get the same defaults as kit's config schema. The stages
// that apply them are listed in pipeline/stages.ts.
import type { Logger } from 'pino';
import { MAX_PAGE_SIZE } from '@sting/kit/keyset-cursor.ts';
import { exposeProcessMetrics } from '@sting/kit/metrics/process-metrics.ts';
import { InProcessRateLimiter } from '@sting/kit/rate-limit/in-process-rate-limiter.ts';
import type { RateLimiter } from '@sting/kit/rate-limit/rate-limiter.ts';
import { GatewayMetrics } from './metrics/gateway-metrics.ts';
import type { OperationLimits } from './plugins/operation-limits.ts';
import { requestBudget, type RateLimitOptions, type RequestBudget } from './plugins/rate-limit.ts';
import type { GatewaySettings } from './settings.ts';

export interface SubscriptionLimits {
  perConnection: number;
  perUser: number;
  /** graphql-ws connections one signed-in person may hold open at once. */
  socketsPerUser: number;
  /** graphql-ws connections one client address may hold open at once, signed in or not, counted from the upgrade. */
  socketsPerAddress: number;
  /** graphql-ws upgrades one client address may make a minute (a budget of its own). */
  upgradesPerMinute: number;
}

export interface Protection {
  limits: Required<OperationLimits>;
  rateLimit: RateLimitOptions;
  /** One set of buckets for every front door. */
  budget: RequestBudget;
  subscriptions: SubscriptionLimits;
  /** Absent when `gateway.metrics.enabled` is false: nothing is counted and /metrics is not served. */
  metrics?: GatewayMetrics;
  trustProxy: boolean;
  close(): Promise<void>;
}

/** The config schema's defaults (a test checks they agree), for callers that build settings by hand. */
export const PROTECTION_DEFAULTS = {
  trustProxy: false,
  limits: {
    maxDepth: 12,
    maxAliases: 30,
    maxRootFields: 20,
    maxTokens: 5000,
    maxDirectives: 50,
    maxCost: 50_000,
    maxResultSize: 100_000,
  },
  rateLimit: { enabled: true, requestsPerMinute: 600, loginPerMinute: 10 },
  subscriptions: {
    perConnection: 100,
    perUser: 500,
    socketsPerUser: 50,
    socketsPerAddress: 500,
    upgradesPerMinute: 600,
  },
  metrics: { enabled: true, listener: 'auto', port: 9464, token: '' },
} as const;

export function resolveProtection(
  gateway: Pick<
    GatewaySettings['gateway'],
    'trustProxy' | 'limits' | 'rateLimit' | 'metrics' | 'subscriptions'
  >,
  given: {
    rateLimiter?: RateLimiter;
    metrics?: GatewayMetrics;
    rateLimitKey?: Buffer | string;
    logger?: Pick<Logger, 'warn'>;
    /** Every list refuses a larger page (OperationLimits); default STING's, kit's MAX_PAGE_SIZE. */
    pagesRefusedAbove?: number;
  } = {},
): Protection {
  // The gateway owns the limiter from here on: it is closed with the gateway.
  const limiter = given.rateLimiter ?? new InProcessRateLimiter();
  const metricsEnabled = (gateway.metrics ?? PROTECTION_DEFAULTS.metrics).enabled;
  const rateLimit: RateLimitOptions = {
    ...PROTECTION_DEFAULTS.rateLimit,
    ...gateway.rateLimit,
    limiter,
    ...(given.rateLimitKey ? { hashKey: given.rateLimitKey } : {}),
  };
  const metrics = metricsEnabled ? (given.metrics ?? new GatewayMetrics()) : undefined;
  // Beeacon's rules read them in-process when observability runs in this process (embedded topology).
  if (metrics) exposeProcessMetrics(() => metrics.expose());
  return {
    limits: {
      ...PROTECTION_DEFAULTS.limits,
      ...gateway.limits,
      pagesRefusedAbove: given.pagesRefusedAbove ?? MAX_PAGE_SIZE,
    },
    rateLimit,
    budget: requestBudget(rateLimit, given.logger),
    subscriptions: { ...PROTECTION_DEFAULTS.subscriptions, ...gateway.subscriptions },
    metrics,
    trustProxy: gateway.trustProxy ?? PROTECTION_DEFAULTS.trustProxy,
    close: () => limiter.close(),
  };
}
