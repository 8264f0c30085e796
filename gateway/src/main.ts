// Starts the platform from a loaded configuration, independent of the launcher: migrations, the subgraphs
// (in this process for the embedded topology), the gateway. `ops/src/launch.ts` provides the URLs it needs.
import { InProcessEventBus } from '@sting/kit/bus/in-process-bus.ts';
import { PollenStatsReporter } from '@sting/kit/logging/pollen-stats-reporter.ts';
import { RedisEventBus, streamOptions } from '@sting/kit/bus/redis-bus.ts';
import { RedisRateLimiter } from '@sting/kit/rate-limit/redis-rate-limiter.ts';
import { createRedis } from '@sting/kit/redis.ts';
import { createLogger } from '@sting/kit/logging/logger.ts';
import { createSubgraphHost } from '@sting/kit/subgraph/host.ts';
import { routeConsoleToLogger } from '@sting/kit/logging/console.ts';
import { startLogShipping } from '@sting/kit/logging/log-shipping.ts';
import { LocalPeers } from '@sting/kit/subgraph/peers.ts';
import { loadOrCreateSigningKeys } from '@sting/kit/identity/keys.ts';
import type { EventBus } from '@sting/kit/bus/event-bus.ts';
import type { StingConfig } from '@sting/kit/config/index.ts';
import type { SubgraphRuntime } from '@sting/kit/subgraph/module.ts';
import { stopSubgraphRuntime } from '@sting/kit/subgraph/runtime.ts';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { startTracing } from '@sting/kit/tracing/index.ts';
import { startGateway } from './gateway.ts';
import { GatewayMetrics } from './metrics/gateway-metrics.ts';
import { dependencyChecks } from './health/dependencies.ts';
import type { ReadinessCheck } from './health/index.ts';
import { AssertionSigner } from './identity/assertion-signer.ts';
import { SUBGRAPH_NAMES } from './settings.ts';
import { remoteEndpoint } from './topology/distributed.ts';
import { embeddedEndpoint } from './topology/embedded.ts';
import type { FetchObserver, SubgraphEndpoint } from './topology/endpoint.ts';
import { loadSubgraphModules, startSubgraphRuntime } from './topology/subgraph-modules.ts';

export interface PlatformServices {
  databaseUrl: string;
  /** Empty: an in-process bus (single process only). */
  redisUrl?: string;
  chromaUrl?: string;
}

export interface PlatformOptions {
  /** Told about every subgraph fetch (tests count them). */
  observeFetch?: FetchObserver;
}

export interface RunningPlatform {
  url: string;
  /** The bus the in-process subgraphs share (leak checks: `listenerCount()`). */
  bus: EventBus;
  endpoints: readonly SubgraphEndpoint[];
  /** The platform's logger (its records pass through the process's Pollen Filter). */
  logger: Logger;
  stop(): Promise<void>;
}

export async function startPlatform(
  config: StingConfig,
  services: PlatformServices,
  options: PlatformOptions = {},
): Promise<RunningPlatform> {
  // Before anything that makes spans; with observability.tracing off this loads nothing.
  const tracing = await startTracing(config.observability.tracing);
  const logger = createLogger({
    name: 'gateway',
    level: config.logging.level,
    pollen: config.logging.pollenFilter.enabled ? undefined : false,
  });
  // Subgraphs read their service URLs from the config they are handed, so it carries the resolved ones.
  const resolved = Object.freeze({
    ...config,
    database: { ...config.database, url: services.databaseUrl },
    redis: { ...config.redis, url: services.redisUrl ?? '' },
    chroma: { ...config.chroma, url: services.chromaUrl ?? '' },
  });
  // Whatever a library prints goes through the logger (and its Pollen Filter) too.
  const restoreConsole = routeConsoleToLogger(logger);
  const { privateKey, publicKey } = await loadOrCreateSigningKeys(config.security.keysDir);
  // Every replica derives the same key for the hashes that stand for emails in rate-limit buckets.
  const rateLimitKey = createHash('sha256')
    .update('sting rate-limit bucket names\0')
    .update(privateKey.export({ type: 'pkcs8', format: 'der' }))
    .digest();
  const signer = new AssertionSigner(privateKey, config.security.assertionTtlSeconds);
  const bus: EventBus = services.redisUrl
    ? new RedisEventBus(services.redisUrl, { logger, ...streamOptions(config.redis.streams) })
    : new InProcessEventBus();
  // Every fetch is counted for /metrics before the caller's own observer hears of it.
  const metrics = new GatewayMetrics();
  const observeFetch = metrics.observingFetches(options.observeFetch);
  const pollenReporter = new PollenStatsReporter({ bus, service: 'gateway', logger }).start();
  // Log records to Loki, or to the observability subgraph (in this process when embedded, else over the bus).
  const logShipping = startLogShipping({
    loki: config.observability.loki,
    topology: config.topology,
    service: 'gateway',
    bus,
    storedInProcess: config.topology === 'embedded',
    logger,
  });

  const runtimes: SubgraphRuntime[] = [];
  const endpoints: SubgraphEndpoint[] = [];
  const healthChecks: ReadinessCheck[] = [];
  // Redis and Chroma are checked in both topologies; the database here only when no subgraph runs in this
  // process (embedded asks through the ORM the subgraphs already use).
  const dependencies = dependencyChecks({
    databaseUrl: config.topology === 'embedded' ? undefined : services.databaseUrl,
    redisUrl: services.redisUrl,
    chromaUrl: services.chromaUrl,
  });
  const closeAll = async () => {
    pollenReporter.stop();
    await dependencies.close();
    for (const runtime of runtimes) await stopSubgraphRuntime(runtime);
    await logShipping.stop();
    await bus.close();
    restoreConsole();
    await tracing.stop();
  };
  try {
    if (config.topology === 'embedded') {
      // Chat asks knowledge's search on a person's behalf through the hosts in this process.
      const peers = new LocalPeers();
      for (const module of await loadSubgraphModules()) {
        const runtime = await startSubgraphRuntime(module, {
          databaseUrl: services.databaseUrl,
          bus,
          logger,
          config: resolved,
          peers,
        });
        runtimes.push(runtime);
        const host = createSubgraphHost(module, runtime, publicKey);
        peers.register(host);
        endpoints.push(embeddedEndpoint(host, signer, observeFetch));
      }
      const orm = runtimes[0].orm;
      healthChecks.push({
        name: 'database',
        check: async () => void (await orm.em.getConnection().execute('select 1')),
      });
    } else {
      for (const name of SUBGRAPH_NAMES) {
        const url = config.gateway.subgraphs[name];
        endpoints.push(remoteEndpoint(name, url, signer, observeFetch));
        healthChecks.push({
          name,
          check: async () => {
            const response = await fetch(new URL('/healthz', url));
            if (!response.ok) throw new Error(`${name} answered ${response.status}`);
          },
        });
      }
    }
    healthChecks.push(...dependencies.checks);
    const gateway = await startGateway({
      settings: config,
      endpoints,
      logger,
      healthChecks,
      identity: config.identity,
      metrics,
      rateLimitKey,
      // With Redis every replica spends from the same buckets; the gateway closes the limiter when it stops.
      rateLimiter: services.redisUrl
        ? new RedisRateLimiter(
            createRedis(services.redisUrl, 'sting-rate-limit', { logger, failFast: true }),
            {
              ownsConnection: true,
            },
          )
        : undefined,
      sessionTtlSeconds: config.identity.sessions.absoluteLifetimeHours * 3600,
      bus,
    });
    process.stdout.write(`STING gateway listening on ${gateway.url}\n`);
    return {
      url: gateway.url,
      bus,
      endpoints,
      logger,
      async stop() {
        await gateway.stop();
        await closeAll();
      },
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
