// Writes log records to the embedded store in batches: this process's records off the logging path, queued in a
// bounded BatchSender (a full buffer drops and counts); another process's batch from the bus at once (`write`,
// so that it is acknowledged only once stored). One multi-row insert per batch goes to the day partitions, made
// on first use of a day.
import type { MikroORM } from '@mikro-orm/postgresql';
import { BatchSender, type BatchSenderStats, type LogEntry, type SubgraphRuntime } from '@sting/kit';
import { dayStart, ensureDayPartition, logTables } from './tables.ts';

export interface LogStoreOptions {
  orm: MikroORM;
  /** Told when writing starts failing and when it works again (the records wait, up to the bound). */
  logger?: Pick<SubgraphRuntime['logger'], 'warn' | 'info'>;
  batchSize?: number;
  flushIntervalMs?: number;
  maxBufferRecords?: number;
}

const MAX_SERVICE = 100;

export class LogStore {
  #orm: MikroORM;
  #sender: BatchSender<LogEntry>;
  #days = new Set<number>();

  constructor(options: LogStoreOptions) {
    this.#orm = options.orm;
    this.#sender = new BatchSender<LogEntry>({
      send: (batch) => this.#insert(batch),
      batchSize: options.batchSize ?? 500,
      flushIntervalMs: options.flushIntervalMs ?? 500,
      maxBuffer: options.maxBufferRecords ?? 10_000,
      onStateChange: (failing, error) =>
        failing
          ? options.logger?.warn({ error: error?.message }, 'log records cannot be stored; held and retried')
          : options.logger?.info('log records are stored again'),
    });
  }

  offer(entry: LogEntry): void {
    this.#sender.offer(entry);
  }

  /** Stores a batch now, resolving once it is (another process's batch, acknowledged on the bus after this). */
  async write(entries: LogEntry[]): Promise<void> {
    if (entries.length > 0) await this.#insert(entries);
  }

  stats(): BatchSenderStats {
    return this.#sender.stats();
  }

  flush(): Promise<void> {
    return this.#sender.flush();
  }

  stop(): Promise<void> {
    return this.#sender.stop();
  }

  async #insert(batch: LogEntry[]): Promise<void> {
    const em = this.#orm.em.fork({ clear: true, useContext: false });
    for (const entry of batch) {
      const day = dayStart(entry.at).getTime();
      if (!this.#days.has(day)) {
        await ensureDayPartition(em, day);
        this.#days.add(day);
      }
    }
    const rows = batch.map((e) => ({
      at: e.at,
      service: e.service.slice(0, MAX_SERVICE),
      level: e.level.slice(0, 10),
      // PostgreSQL text cannot hold NUL; the record was filtered already, this only keeps the insert valid.
      msg: e.msg.replaceAll('\u0000', ''),
      line: e.line.replaceAll('\\u0000', ''),
    }));
    await em.execute(
      `insert into ${logTables(em).records} (at, service, level, msg, record)
       select to_timestamp(x.at / 1000.0), x.service, x.level, x.msg, x.line::jsonb
       from jsonb_to_recordset(?::jsonb) as x(at double precision, service text, level text, msg text, line text)`,
      [JSON.stringify(rows)],
    );
  }
}
