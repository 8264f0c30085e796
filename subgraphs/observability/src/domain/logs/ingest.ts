// How log records reach the embedded store (no Loki configured): this process's own records straight from the
// process's log tap (in the embedded topology that is every subgraph and the gateway), other processes' in batches
// on the bus topic observability.log.records (kit/logging/log-shipping.ts says who publishes there). That topic
// is durable: the replicas of observability consume it as the group `observability`, so each batch is stored
// once, by one replica, also a batch published while none ran (within the stream's bound), and acknowledged only
// once written (a failed write is tried again). With Loki configured every process ships to Loki itself and
// nothing is stored here. The Pollen Filter's per-interval counts (observability.log.sanitized) are added to the
// per-minute series either way.
import {
  Topics,
  followTopic,
  processLogTap,
  reportInProcessLogStore,
  type BusSubscription,
  type EventEnvelope,
  type LogEntry,
  type LogRecordsBatch,
  type LogSanitizedReport,
  type SubgraphRuntime,
} from '@sting/kit';
import { LogStore } from './store.ts';
import { DEFAULT_LOG_RETENTION_DAYS, maintainLogStore } from './retention.ts';
import { recordSanitizedInterval } from './sanitized-series.ts';
import { logSettings } from './settings.ts';

const HOUR_MS = 3_600_000;

export interface RunningLogIngestion {
  store: LogStore | null;
  /** Writes whatever is queued (tests). */
  flush(): Promise<void>;
}

const running = new WeakMap<SubgraphRuntime, RunningLogIngestion>();

/** The ingestion a runtime started (tests flush it). */
export function logIngestionOf(runtime: SubgraphRuntime): RunningLogIngestion | undefined {
  return running.get(runtime);
}

export async function startLogIngestion(runtime: SubgraphRuntime): Promise<RunningLogIngestion> {
  const settings = logSettings(runtime);
  const feeds: BusSubscription<EventEnvelope<unknown>>[] = [];
  const stops: (() => unknown)[] = [];
  let stopBatches = async (): Promise<void> => undefined;
  const em = () => runtime.orm.em.fork({ clear: true, useContext: false });
  let store: LogStore | null = null;

  const sanitized = await runtime.bus.subscribe<LogSanitizedReport>(Topics.observability.logSanitized);
  feeds.push(sanitized as BusSubscription<EventEnvelope<unknown>>);
  let series: Promise<void> = Promise.resolve();
  void (async () => {
    for await (const event of sanitized) {
      series = series
        .then(() => recordSanitizedInterval(em(), event.payload))
        .catch((err: unknown) => runtime.logger.warn({ err }, 'Pollen Filter interval not recorded'));
    }
  })();

  if (!settings.lokiUrl) {
    const logStore = (store = new LogStore({ orm: runtime.orm, logger: runtime.logger }));
    stops.push(processLogTap().attach((entry) => logStore.offer(entry)));
    // The store's backlog and drops stand for this process's shipping (the log-backlog rule reads them).
    stops.push(reportInProcessLogStore(() => logStore.stats()));
    stopBatches = await followTopic<LogRecordsBatch>(
      runtime.bus,
      Topics.observability.logRecords,
      (event) => logStore.write(entriesOf(event.payload)),
      runtime.logger,
      { group: 'observability' },
    );
  }

  const retentionDays = settings.retentionDays ?? DEFAULT_LOG_RETENTION_DAYS;
  let upkeep: Promise<unknown> = Promise.resolve();
  const maintain = () =>
    (upkeep = upkeep
      .then(() => maintainLogStore(em(), retentionDays))
      .catch((err: unknown) => runtime.logger.error({ err }, 'log store maintenance failed')));
  await maintain();
  const timer = setInterval(maintain, HOUR_MS);
  timer.unref();

  runtime.stopHooks.push(async () => {
    clearInterval(timer);
    for (const stop of stops) stop();
    for (const feed of feeds) await feed.return();
    await stopBatches();
    await store?.stop();
    await series;
    await upkeep;
  });
  const ingestion: RunningLogIngestion = {
    store,
    async flush() {
      await series;
      await store?.flush();
    },
  };
  running.set(runtime, ingestion);
  return ingestion;
}

/** The well-formed records of a batch from the bus. */
function entriesOf(batch: Partial<LogRecordsBatch> | null): LogEntry[] {
  return Array.isArray(batch?.entries) ? batch.entries.filter(isEntry) : [];
}

/** A record from the bus is checked before it is stored: other processes' payloads are outside input. */
function isEntry(value: unknown): value is LogEntry {
  if (!value || typeof value !== 'object') return false;
  const e = value as Record<string, unknown>;
  return (
    typeof e.at === 'number' &&
    Number.isFinite(e.at) &&
    typeof e.level === 'string' &&
    typeof e.service === 'string' &&
    typeof e.msg === 'string' &&
    typeof e.line === 'string'
  );
}
