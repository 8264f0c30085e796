// Standalone entry of one subgraph for the distributed topology: `node gateway/src/serve-subgraph.ts <name>`.
// It listens on the port of its URL in `gateway.subgraphs` and verifies the gateway's assertions.
import { PollenStatsReporter } from '@sting/kit/logging/pollen-stats-reporter.ts';
import { RedisEventBus, streamOptions } from '@sting/kit/bus/redis-bus.ts';
import { createLogger } from '@sting/kit/logging/logger.ts';
import { loadConfig } from '@sting/kit/config/load.ts';
import { startLogShipping } from '@sting/kit/logging/log-shipping.ts';
import type { SubgraphName } from '@sting/kit/subgraph/names.ts';
import { RemotePeers } from '@sting/kit/subgraph/peers.ts';
import { serveSubgraph } from '@sting/kit/subgraph/serve.ts';
import { startTracing } from '@sting/kit/tracing/index.ts';
import { stopSubgraphRuntime } from '@sting/kit/subgraph/runtime.ts';
import { SUBGRAPH_NAMES } from './settings.ts';
import { loadSubgraphModule, startSubgraphRuntime } from './topology/subgraph-modules.ts';

const name = process.argv[2] as SubgraphName;
if (!SUBGRAPH_NAMES.includes(name)) {
  process.stderr.write(`usage: serve-subgraph.ts <${SUBGRAPH_NAMES.join('|')}>\n`);
  process.exit(2);
}

const config = await loadConfig();
const tracing = await startTracing(config.observability.tracing, {
  serviceName: `${config.observability.tracing.serviceName}-${name}`,
});
const logger = createLogger({ name, level: config.logging.level });
if (!config.database.url || !config.redis.url) {
  // Several processes share events and data only through these two; there is no embedded fallback here.
  logger.fatal('database.url and redis.url are required for a standalone subgraph');
  process.exit(1);
}
const bus = new RedisEventBus(config.redis.url, { logger, ...streamOptions(config.redis.streams) });
const pollenReporter = new PollenStatsReporter({ bus, service: name, logger }).start();
// To Loki when configured; else over the bus to the observability subgraph, which stores its own records itself.
const logShipping = startLogShipping({
  loki: config.observability.loki,
  topology: config.topology,
  service: name,
  bus,
  storedInProcess: name === 'observability',
  logger,
});
const module = await loadSubgraphModule(name);
const runtime = await startSubgraphRuntime(module, {
  databaseUrl: config.database.url,
  bus,
  logger,
  config,
  peers: new RemotePeers(config.gateway.subgraphs),
});
const url = new URL(config.gateway.subgraphs[name]);
const service = await serveSubgraph(module, runtime, {
  port: Number(url.port),
  host: url.hostname,
  keysDir: config.security.keysDir,
  // Only the gateway reaches it, and the gateway never introspects a subgraph.
  introspection: config.profile !== 'production',
  // Prometheus scrapes it with the same token as the gateway's /metrics.
  metricsToken: config.gateway.metrics.token,
});
logger.info({ url: service.url }, 'subgraph listening');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void (async () => {
      pollenReporter.stop();
      await service.stop();
      await stopSubgraphRuntime(runtime);
      await logShipping.stop();
      await bus.close();
      await tracing.stop();
      process.exit(0);
    })();
  });
}
