// A process that only runs knowledge's jobs, ingestion and re-indexing:
// `node subgraphs/knowledge/src/jobs/worker-main.ts`. With `knowledge.jobs.concurrency: 0` the platform's own
// processes leave the jobs to workers like this one, which share the database (jobs and documents), the blob
// store and Chroma; status events reach the gateway through the outbox and Redis when it is configured.
// SIGTERM or SIGINT stops it after the running job's attempt is handed back.
import {
  createLogger,
  createOrm,
  createSubgraphRuntime,
  InProcessEventBus,
  loadConfig,
  migrate,
  RedisEventBus,
  startLogShipping,
  streamOptions,
  stopSubgraphRuntime,
  subgraphConfig,
  type EventBus,
} from '@sting/kit';
import { startTracing } from '@sting/kit/tracing/index.ts';
import { subgraph } from '../index.ts';
import { startJobWorkers } from './job-workers.ts';

const config = await loadConfig();
// Each job continues the trace of the upload that queued it (observability.tracing).
const tracing = await startTracing(config.observability.tracing, {
  serviceName: `${config.observability.tracing.serviceName}-knowledge-worker`,
});
const logger = createLogger({ name: 'knowledge-worker', level: config.logging.level });
if (!config.database.url) throw new Error('the knowledge worker needs database.url (or DATABASE_URL)');
const orm = await createOrm({
  clientUrl: config.database.url,
  schema: subgraph.dbSchema,
  entities: subgraph.entities,
  migrationsPath: subgraph.migrationsPath,
  logger,
});
await migrate(orm);
const bus: EventBus = config.redis.url
  ? new RedisEventBus(config.redis.url, { logger, ...streamOptions(config.redis.streams) })
  : new InProcessEventBus();
const runtime = createSubgraphRuntime(subgraph, {
  orm,
  bus,
  logger,
  config: subgraphConfig('knowledge', config),
});
await startJobWorkers(runtime);
// Its log records go to Loki, or over the bus to the observability subgraph (never in this process).
const logShipping = startLogShipping({
  loki: config.observability.loki,
  topology: config.topology,
  service: 'knowledge-worker',
  bus,
  storedInProcess: false,
  logger,
});
process.stdout.write('knowledge job worker ready\n');

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await stopSubgraphRuntime(runtime);
  await logShipping.stop();
  await bus.close();
  await tracing.stop();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
process.once('SIGINT', () => void stop());
