// Durable jobs in PostgreSQL through pg-boss: a job survives a crash or restart of the process running it (it
// expires, or its heartbeat stops, and it is retried), failures are retried with exponential backoff, and a job
// can be cancelled while open. One PgBoss (one pool, one schema, one supervisor) per runtime serves every queue;
// a queue is a definition (name, span, dedupe key, long-running or not) over it.
import { PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type { SourcedGauge } from '@sting/kit/metrics/platform-metrics.ts';
import { SpanKind, inRemoteSpan, traceContextFields } from '@sting/kit/tracing/index.ts';

/** `knowledge.jobs` of config.yml. */
export interface JobSettings {
  /** Jobs run at once per process; 0: this process runs none (separate workers do). */
  concurrency: number;
  retryLimit: number;
  /** The first retry's delay, doubled on each further one. */
  retryDelaySeconds: number;
  /** A job running longer (or whose worker died) is retried after this long. */
  expireSeconds: number;
}

export interface JobStoreOptions extends JobSettings {
  connectionString: string;
  /** Connections in pg-boss's pool: one per job this process may run at once, and one for polling and upkeep. */
  poolSize: number;
  /** pg-boss keeps its tables in this schema (e.g. `knowledge_jobs`). */
  schema: string;
  logger: Logger;
}

/** Every job carries the trace of what queued it (W3C traceparent), continued by the worker; absent with tracing off. */
export interface Traced {
  traceparent?: string;
}

export interface QueueDefinition<T extends object> {
  name: string;
  /** The span each attempt runs in, and its attributes. */
  span: string;
  spanAttributes(data: T): Record<string, string | number>;
  /**
   * Jobs that may run for long (a whole jar's vectors): kept as long as their worker sends heartbeats (up to
   * pg-boss's 24 h) instead of expiring after `expireSeconds`; one whose heartbeats stop for `expireSeconds`
   * (at least 10) is retried.
   */
  long?: boolean;
  /** A job is not queued while another with the same key is open (queued, waiting to retry or running). */
  key?(data: T): string;
  /** Reports the queue's depth (queued, active) when scraped. */
  depth?: SourcedGauge;
}

export interface Attempt {
  /** No retry follows a failure of this attempt. */
  last: boolean;
}

/** `retryCount` is how many attempts came before this one. */
export type JobHandler<T> = (data: T, signal: AbortSignal, retryCount: number) => Promise<void>;

export interface JobInfo<T> {
  id: string;
  state: string;
  retryCount: number;
  data: T;
}

const SETTLED = ['completed', 'cancelled', 'failed'];
/** pg-boss's upper bound on a job's expiry. */
const MAX_EXPIRE_SECONDS = 24 * 3600;

export class JobStore {
  readonly settings: JobSettings;
  readonly boss: PgBoss;
  #started: Promise<void> | null = null;
  readonly #onStop: (() => void)[] = [];

  constructor(options: JobStoreOptions) {
    const { connectionString, schema, logger, poolSize, ...settings } = options;
    this.settings = settings;
    // A dead worker's job is noticed within one supervise pass after it expires, so both follow expireSeconds.
    const pass = Math.max(1, Math.min(60, Math.floor(settings.expireSeconds / 2)));
    this.boss = new PgBoss({
      connectionString,
      schema,
      max: Math.max(2, poolSize),
      superviseIntervalSeconds: pass,
      monitorIntervalSeconds: pass,
    });
    this.boss.on('error', (err) => logger.error({ err }, 'job queue error'));
  }

  /** Installs pg-boss's schema (idempotent); producers and workers both call it. */
  start(): Promise<void> {
    this.#started ??= this.boss.start().then(() => undefined);
    return this.#started;
  }

  /** Runs `stop` when the store stops. */
  onStop(stop: () => void): void {
    this.#onStop.push(stop);
  }

  /** Stops every queue's workers and polling; pending jobs stay in PostgreSQL for the next start. */
  async stop(): Promise<void> {
    if (!this.#started) return;
    await this.#started.catch(() => undefined);
    for (const stop of this.#onStop.splice(0)) stop();
    await this.boss.stop({ graceful: true, timeout: 5000 });
  }
}

export class JobQueue<T extends object> {
  readonly #store: JobStore;
  readonly #definition: QueueDefinition<T>;
  #started: Promise<void> | null = null;

  constructor(store: JobStore, definition: QueueDefinition<T>) {
    this.#store = store;
    this.#definition = definition;
  }

  #heartbeatSeconds(): number {
    return Math.max(10, this.#store.settings.expireSeconds);
  }

  /** Installs the queue with the configured retries and expiry (idempotent). */
  start(): Promise<void> {
    this.#started ??= (async () => {
      const { name, long, key, depth } = this.#definition;
      const { boss, settings } = this.#store;
      await this.#store.start();
      const options = {
        retryLimit: settings.retryLimit,
        retryDelay: settings.retryDelaySeconds,
        retryBackoff: true,
        ...(long
          ? { expireInSeconds: MAX_EXPIRE_SECONDS, heartbeatSeconds: this.#heartbeatSeconds() }
          : { expireInSeconds: settings.expireSeconds }),
      };
      if (await boss.getQueue(name)) await boss.updateQueue(name, options);
      // exclusive: one open job per key (pg-boss refuses the insert of a second one).
      else
        await boss.createQueue(name, {
          ...options,
          ...(key ? { policy: 'exclusive' } : {}),
        });
      if (depth) {
        this.#store.onStop(
          depth.add(async () => {
            const queue = await boss.getQueue(name);
            return { queued: queue?.queuedCount ?? 0, active: queue?.activeCount ?? 0 };
          }),
        );
      }
    })();
    return this.#started;
  }

  /** Queues a job; returns its id, or null when a job with the same key is still open. */
  async enqueue(data: T): Promise<string | null> {
    await this.start();
    const { name, key } = this.#definition;
    const singletonKey = key?.(data);
    const id = await this.#store.boss.send(
      name,
      { ...data, ...traceContextFields() },
      singletonKey ? { singletonKey } : {},
    );
    if (!id && !singletonKey) throw new Error(`a ${name} job could not be queued`);
    return id;
  }

  /** The jobs whose data contains `match`, oldest first (settled ones included while pg-boss keeps them). */
  async jobs(match: Partial<T>): Promise<JobInfo<T>[]> {
    await this.start();
    const jobs = await this.#store.boss.findJobs<T>(this.#definition.name, { data: match });
    return jobs.map((job) => ({ id: job.id, state: job.state, retryCount: job.retryCount, data: job.data }));
  }

  /**
   * Cancels every open job whose data contains `match`. A running one of a long queue sees its signal abort at
   * its next heartbeat; any other finds the document or jar gone and ends as a no-op.
   */
  async cancel(match: Partial<T>): Promise<void> {
    const open = (await this.jobs(match)).filter((job) => !SETTLED.includes(job.state));
    if (open.length)
      await this.#store.boss.cancel(
        this.#definition.name,
        open.map((job) => job.id),
      );
  }

  /** Starts `concurrency` workers of this queue in this process running `handler`. */
  async work(handler: JobHandler<T>, concurrency: number): Promise<void> {
    await this.start();
    const { name, span, spanAttributes, long } = this.#definition;
    await this.#store.boss.work<T & Traced>(
      name,
      {
        localConcurrency: concurrency,
        batchSize: 1,
        pollingIntervalSeconds: 1,
        // Often enough that a cancelled job's signal aborts soon after, not a whole expiry later.
        ...(long ? { heartbeatRefreshSeconds: Math.min(this.#heartbeatSeconds() / 2, 5) } : {}),
      },
      async ([job]) =>
        inRemoteSpan(
          { traceparent: job.data.traceparent },
          span,
          () => handler(job.data, job.signal, job.retryCount),
          {
            kind: SpanKind.CONSUMER,
            attributes: { ...spanAttributes(job.data), 'sting.job.attempt': job.retryCount + 1 },
          },
        ),
    );
  }
}
