// The gateway's audit sink: logs each record (the Pollen Filter sees it) and appends them to identity's audit log
// in batches: every ~250 ms or at 100 records, one batch in flight at a time so order is kept, retried with backoff
// while identity is unreachable. The buffer is bounded: past it, records are dropped (and counted in the log, where
// each one already is) rather than the gateway's memory. Closing flushes what is held, within a deadline.
import type { Logger } from 'pino';
import { loggerAuditSink, type AuditRecord, type AuditSink } from '../pipeline/audit.ts';
import {
  AuditAppendRefused,
  toAuditEventInput,
  type AuditAppender,
  type AuditEventInput,
} from './identity-append.ts';

export interface BatchingAuditSinkOptions {
  flushIntervalMs?: number;
  batchSize?: number;
  /** Records held at most while identity cannot take them. */
  maxBuffered?: number;
  /** First retry delay; doubled per failure up to `maxRetryDelayMs`. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** How long `close` keeps trying to hand on what is held. */
  closeTimeoutMs?: number;
}

export class BatchingAuditSink implements AuditSink {
  readonly #append: AuditAppender;
  readonly #logger: Logger;
  readonly #log: AuditSink;
  readonly #options: Required<BatchingAuditSinkOptions>;
  #buffer: AuditEventInput[] = [];
  #timer?: NodeJS.Timeout;
  #flushing?: Promise<void>;
  #failures = 0;
  #dropped = 0;
  #closed = false;

  constructor(append: AuditAppender, logger: Logger, options: BatchingAuditSinkOptions = {}) {
    this.#append = append;
    this.#logger = logger.child({ component: 'audit' });
    this.#log = loggerAuditSink(logger);
    this.#options = {
      flushIntervalMs: options.flushIntervalMs ?? 250,
      batchSize: options.batchSize ?? 100,
      maxBuffered: options.maxBuffered ?? 10_000,
      retryDelayMs: options.retryDelayMs ?? 500,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 30_000,
      closeTimeoutMs: options.closeTimeoutMs ?? 5000,
    };
  }

  /** Records not yet appended (held or in flight). */
  get pending(): number {
    return this.#buffer.length;
  }

  record(entry: AuditRecord): void {
    void this.#log.record(entry);
    if (this.#buffer.length >= this.#options.maxBuffered) {
      if (this.#dropped++ % 1000 === 0) {
        this.#logger.error({ dropped: this.#dropped }, 'audit buffer full: records kept only in the log');
      }
      return;
    }
    this.#buffer.push(toAuditEventInput(entry));
    if (this.#closed) return;
    if (this.#buffer.length >= this.#options.batchSize && this.#failures === 0) this.#flushSoon(0);
    else this.#flushSoon(this.#options.flushIntervalMs);
  }

  /** Appends everything held now, one batch after another; resolves when done or a batch failed. */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    this.#flushing = this.#drain().finally(() => (this.#flushing = undefined));
    return this.#flushing;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    const deadline = Date.now() + this.#options.closeTimeoutMs;
    while (this.#buffer.length > 0 && Date.now() < deadline) {
      await this.flush();
      if (this.#buffer.length > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (this.#buffer.length > 0) {
      this.#logger.error(
        { lost: this.#buffer.length },
        'audit records not appended before stopping (kept in the log)',
      );
    }
  }

  #flushSoon(delayMs: number): void {
    if (this.#timer && delayMs > 0) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.flush();
    }, delayMs);
    this.#timer.unref();
  }

  async #drain(): Promise<void> {
    while (this.#buffer.length > 0) {
      const batch = this.#buffer.slice(0, this.#options.batchSize);
      try {
        await this.#append(batch);
        this.#failures = 0;
      } catch (err) {
        if (!(err instanceof AuditAppendRefused)) {
          this.#failures++;
          this.#logger.warn({ err, held: this.#buffer.length }, 'audit records not appended yet; will retry');
          if (!this.#closed) {
            const delay = this.#options.retryDelayMs * 2 ** Math.min(this.#failures - 1, 16);
            this.#flushSoon(Math.min(delay, this.#options.maxRetryDelayMs));
          }
          return;
        }
        // Sending the same batch again would be refused again; the records stay in the log.
        this.#logger.error({ err, records: batch.length }, 'audit records refused by identity');
      }
      this.#buffer.splice(0, batch.length);
    }
  }
}
