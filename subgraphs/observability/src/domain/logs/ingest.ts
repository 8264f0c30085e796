// How log records reach the embedded store (no Loki configured): this process's own records straight from the
// process's log tap (in the embedded topology that is every subgraph and the gateway), other processes' in batches
// on the bus topic observability.log.records (kit/logging/log-shipping.ts says who publishes there). With Loki
// configured every process ships to Loki itself and nothing is stored here. The Pollen Filter's per-interval
// counts (observability.log.sanitized) are added to the per-minute series either way.
import {
  Topics,
  processLogTap,
  reportInProcessLogStore,
  type BusSubscription,
  type EventEnvelope,
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
    const batches = await runtime.bus.subscribe<LogRecordsBatch>(Topics.observability.logRecords);
    feeds.push(batches as BusSubscription<EventEnvelope<unknown>>);
    void (async () => {
      for await (const event of batches) {
        for (const entry of event.payload?.entries ?? []) {
          if (isEntry(entry)) logStore.offer(entry);
        }
      }
    })();
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

/** A record from the bus is checked before it is stored: other processes' payloads are outside input. */
function isEntry(value: unknown): value is import('@sting/kit').LogEntry {
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
