// Where this process's log records go besides stdout. The choice, made once per process at start-up:
// - Loki configured: every process pushes its own records to Loki (no hop through another service).
// - No Loki, and the observability subgraph runs in this process (the embedded topology, or observability's own
//   process): nothing here; the subgraph attaches to the process tap and stores records itself, losing none of
//   the start-up ones and copying nothing through a bus.
// - No Loki, observability elsewhere (distributed gateway, other subgraphs, the ingestion worker): batches are
//   published on the bus topic `observability.log.records`, one message per batch, for observability to store.
// Either way the sender is bounded and never blocks logging (batch-sender.ts). Records for Loki are encoded as
// they are logged and wait as bytes (loki-records.ts); the pushes go out from the process's push thread
// (loki-push-thread.ts), not from the thread that logs.
import type { Logger } from 'pino';
import { createEvent } from '../bus/envelope.ts';
import type { EventBus } from '../bus/event-bus.ts';
import { EventTypes, Topics } from '../bus/topics.ts';
import { BatchSender, PermanentBatchError, type BatchSenderStats } from './batch-sender.ts';
import { processLogTap, type LogEntry, type LogTap } from './log-tap.ts';
import { lokiPushThread } from './loki-push-thread.ts';
import { LokiRecords } from './loki-records.ts';

/** The payload of an `observability.log.records` event. */
export interface LogRecordsBatch {
  service: string;
  entries: LogEntry[];
}

export interface LokiSettings {
  url: string;
  batchSize: number;
  flushIntervalMs: number;
  maxBufferRecords: number;
}

export interface LogShippingOptions {
  /** observability.loki; shipping to Loki when its url is set. */
  loki?: Partial<LokiSettings>;
  topology: string;
  /** Who is shipping (the bus event's source). */
  service: string;
  bus?: EventBus;
  /** True when the observability subgraph runs in this process and stores the records itself. */
  storedInProcess: boolean;
  logger?: Pick<Logger, 'warn' | 'info'>;
  tap?: LogTap;
}

export interface LogShipping {
  target: 'loki' | 'bus' | 'in-process';
  lokiUrl: string | null;
  stats(): BatchSenderStats | null;
  /** Sends what is queued (tests, shutdown). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

let current: LogShipping | undefined;
let storedInProcess: (() => BatchSenderStats) | undefined;

/**
 * The observability subgraph, storing this process's records itself, reports its writer's figures here, so that
 * `processLogShipping().stats()` (backlog, drops) means the same whichever way records leave. The result undoes it.
 */
export function reportInProcessLogStore(stats: () => BatchSenderStats): () => void {
  storedInProcess = stats;
  return () => {
    if (storedInProcess === stats) storedInProcess = undefined;
  };
}

/** This process's shipping, once started (Beeacon's Loki status reads its figures). */
export function processLogShipping(): LogShipping | undefined {
  return current;
}

export const LOKI_DEFAULTS = { batchSize: 1000, flushIntervalMs: 1000, maxBufferRecords: 10_000 };

export function startLogShipping(options: LogShippingOptions): LogShipping {
  const tap = options.tap ?? processLogTap();
  const loki = { ...LOKI_DEFAULTS, ...options.loki };
  let sender: Pick<BatchSender<unknown>, 'stats' | 'flush' | 'stop'> | undefined;
  let target: LogShipping['target'];
  let release = async (): Promise<void> => undefined;
  let detach = (): void => undefined;
  if (loki.url) {
    target = 'loki';
    release = lokiPushThread.use();
    // Each record is encoded as it is logged and held as bytes (loki-records.ts); the sender queues its number.
    const records = new LokiRecords(options.topology, loki.maxBufferRecords + 1);
    const lokiSender = new BatchSender<number>({
      send: async (batch) => {
        const first = batch[0];
        const after = first + batch.length;
        try {
          await lokiPushThread.push(loki.url!, () => records.request(first, batch.length));
        } catch (err) {
          if (err instanceof PermanentBatchError) records.release(after);
          throw err;
        }
        records.release(after);
      },
      batchSize: loki.batchSize,
      flushIntervalMs: loki.flushIntervalMs,
      maxBuffer: loki.maxBufferRecords,
      onStateChange: (failing, error) =>
        failing
          ? options.logger?.warn({ error: error?.message }, 'Loki push failing; records held and retried')
          : options.logger?.info('Loki push working again'),
    });
    sender = lokiSender;
    // The records never outnumber the sender's bound (their capacity is one more, for the one being offered), so
    // add() always takes one; a record the sender refuses (its buffer full, or stopped) is taken back.
    detach = tap.attach((entry) => {
      const seq = records.add(entry);
      if (seq >= 0 && !lokiSender.offer(seq)) records.discardLast();
    });
  } else if (!options.storedInProcess && options.bus) {
    target = 'bus';
    const bus = options.bus;
    const busSender = new BatchSender<LogEntry>({
      send: (entries) =>
        bus.publish(
          Topics.observability.logRecords,
          createEvent<LogRecordsBatch>(
            EventTypes.logRecords,
            { service: options.service, entries },
            { source: options.service },
          ),
        ),
      batchSize: loki.batchSize,
      flushIntervalMs: loki.flushIntervalMs,
      maxBuffer: loki.maxBufferRecords,
    });
    sender = busSender;
    detach = tap.attach((entry) => void busSender.offer(entry));
  } else target = 'in-process';
  const shipping: LogShipping = {
    target,
    lokiUrl: loki.url || null,
    stats: () => (sender ? sender.stats() : (storedInProcess?.() ?? null)),
    flush: async () => sender?.flush(),
    async stop() {
      detach();
      await sender?.stop();
      await release();
      if (current === shipping) current = undefined;
    },
  };
  current = shipping;
  return shipping;
}
