// The gateway's protective settings resolved once: operation limits, rate limiting, metrics and whether a proxy's
// `x-forwarded-for` is believed. Keys a caller leaves out get the same defaults as kit's config schema.
import type { ApolloServerPlugin } from '@apollo/server';
import { InProcessRateLimiter, type RateLimiter } from '@sting/kit';
import type { GatewayContext } from './context.ts';
import { GatewayMetrics } from './metrics/gateway-metrics.ts';
import { metricsPlugin } from './plugins/metrics.ts';
import { operationLimitsPlugin, type OperationLimits } from './plugins/operation-limits.ts';
import { rateLimitPlugin, type RateLimitOptions } from './plugins/rate-limit.ts';
import type { GatewaySettings } from './settings.ts';

export interface Protection {
  limits: OperationLimits;
  rateLimit: RateLimitOptions;
  /** Absent when `gateway.metrics.enabled` is false: nothing is counted and /metrics is not served. */
  metrics?: GatewayMetrics;
  trustProxy: boolean;
  close(): Promise<void>;
}

/** The config schema's defaults (a test checks they agree), for callers that build settings by hand. */
export const PROTECTION_DEFAULTS = {
  trustProxy: false,
  limits: { maxDepth: 12, maxAliases: 30, maxRootFields: 20 },
  rateLimit: { enabled: true, requestsPerMinute: 600, loginPerMinute: 10 },
  metrics: { enabled: true },
} as const;

export function resolveProtection(
  gateway: Pick<GatewaySettings['gateway'], 'trustProxy' | 'limits' | 'rateLimit' | 'metrics'>,
  given: { rateLimiter?: RateLimiter; metrics?: GatewayMetrics } = {},
): Protection {
  // The gateway owns the limiter from here on: it is closed with the gateway.
  const limiter = given.rateLimiter ?? new InProcessRateLimiter();
  const metricsEnabled = (gateway.metrics ?? PROTECTION_DEFAULTS.metrics).enabled;
  return {
    limits: { ...PROTECTION_DEFAULTS.limits, ...gateway.limits },
    rateLimit: { ...PROTECTION_DEFAULTS.rateLimit, ...gateway.rateLimit, limiter },
    metrics: metricsEnabled ? (given.metrics ?? new GatewayMetrics()) : undefined,
    trustProxy: gateway.trustProxy ?? PROTECTION_DEFAULTS.trustProxy,
    close: () => limiter.close(),
  };
}

/** In pipeline order: metrics sees every outcome, the rate limit spends before the limits refuse. */
export function protectionPlugins(protection: Protection | undefined): ApolloServerPlugin<GatewayContext>[] {
  if (!protection) return [];
  return [
    ...(protection.metrics ? [metricsPlugin(protection.metrics)] : []),
    rateLimitPlugin(protection.rateLimit),
    operationLimitsPlugin(protection.limits),
  ];
}
