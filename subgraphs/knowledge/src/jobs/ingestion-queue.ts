// Durable ingestion jobs in PostgreSQL through pg-boss: a job survives a crash or restart of the process running
// it (it expires and is retried), failures are retried with exponential backoff, and deleting a document cancels
// its pending job. One queue; the job's data is only the document id and the version it was queued for.
import { PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import { PlatformGauges } from '@sting/kit/metrics/platform-metrics.ts';
import { SpanKind, inSpan, traceContextFields, withTraceContext } from '@sting/kit/tracing/index.ts';

export const INGEST_QUEUE = 'knowledge-ingest';

export interface IngestJobData {
  documentId: string;
  version: number;
  /** The trace of the upload that queued it (W3C traceparent), continued by the worker; absent with tracing off. */
  traceparent?: string;
}

export interface IngestionQueueOptions {
  connectionString: string;
  /** pg-boss keeps its tables in this schema (e.g. `knowledge_jobs`). */
  schema: string;
  concurrency: number;
  retryLimit: number;
  retryDelaySeconds: number;
  expireSeconds: number;
  logger: Logger;
}

/** `retryCount` is how many attempts came before this one. */
export type IngestHandler = (data: IngestJobData, signal: AbortSignal, retryCount: number) => Promise<void>;

export class IngestionQueue {
  readonly #options: IngestionQueueOptions;
  readonly #boss: PgBoss;
  #started: Promise<void> | null = null;
  #unregisterDepth: (() => void) | null = null;

  constructor(options: IngestionQueueOptions) {
    this.#options = options;
    // A dead worker's job is noticed within one supervise pass after it expires, so both follow expireSeconds.
    const pass = Math.max(1, Math.min(60, Math.floor(options.expireSeconds / 2)));
    this.#boss = new PgBoss({
      connectionString: options.connectionString,
      schema: options.schema,
      max: Math.max(2, options.concurrency + 1),
      superviseIntervalSeconds: pass,
      monitorIntervalSeconds: pass,
    });
    this.#boss.on('error', (err) => options.logger.error({ err }, 'ingestion queue error'));
  }

  /** Installs pg-boss's schema and the queue (idempotent); producers and workers both call it. */
  start(): Promise<void> {
    this.#started ??= (async () => {
      await this.#boss.start();
      const { retryLimit, retryDelaySeconds, expireSeconds } = this.#options;
      const options = {
        retryLimit,
        retryDelay: retryDelaySeconds,
        retryBackoff: true,
        expireInSeconds: expireSeconds,
      };
      if (await this.#boss.getQueue(INGEST_QUEUE)) await this.#boss.updateQueue(INGEST_QUEUE, options);
      else await this.#boss.createQueue(INGEST_QUEUE, options);
      // sting_ingestion_queue_depth, read from pg-boss's queue figures when scraped.
      this.#unregisterDepth = PlatformGauges.ingestionQueue.add(async () => {
        const queue = await this.#boss.getQueue(INGEST_QUEUE);
        return { queued: queue?.queuedCount ?? 0, active: queue?.activeCount ?? 0 };
      });
    })();
    return this.#started;
  }

  /** Queues the document's ingestion; returns the job id. */
  async enqueue(data: IngestJobData): Promise<string> {
    await this.start();
    const id = await this.#boss.send(INGEST_QUEUE, { ...data, ...traceContextFields() });
    if (!id) throw new Error(`ingestion of ${data.documentId} could not be queued`);
    return id;
  }

  /** Cancels every job of the document not yet finished (deletion); a running one sees its signal abort. */
  async cancel(documentId: string): Promise<void> {
    await this.start();
    const jobs = await this.#boss.findJobs<IngestJobData>(INGEST_QUEUE, { data: { documentId } });
    const open = jobs.filter((job) => !['completed', 'cancelled', 'failed'].includes(job.state));
    if (open.length)
      await this.#boss.cancel(
        INGEST_QUEUE,
        open.map((job) => job.id),
      );
  }

  /** Starts `concurrency` workers in this process running `handler`. */
  async work(handler: IngestHandler): Promise<void> {
    await this.start();
    await this.#boss.work<IngestJobData>(
      INGEST_QUEUE,
      { localConcurrency: this.#options.concurrency, batchSize: 1, pollingIntervalSeconds: 1 },
      async ([job]) =>
        withTraceContext({ traceparent: job.data.traceparent }, () =>
          inSpan('ingest document', () => handler(job.data, job.signal, job.retryCount), {
            kind: SpanKind.CONSUMER,
            attributes: { 'sting.document.id': job.data.documentId, 'sting.job.attempt': job.retryCount + 1 },
          }),
        ),
    );
  }

  async stop(): Promise<void> {
    if (!this.#started) return;
    await this.#started.catch(() => undefined);
    this.#unregisterDepth?.();
    await this.#boss.stop({ graceful: true, timeout: 5000 });
  }
}
