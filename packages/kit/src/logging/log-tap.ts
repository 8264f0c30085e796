// The process's log tap: every record the logger writes (after the Pollen Filter, exactly as written) is offered
// here, so shipping (Loki, the bus, the embedded store) sees what stdout sees and nothing more. Offering is a few
// property reads and a function call per consumer; consumers must never block or throw.

/** One written record, reduced to what shipping and storing need. */
export interface LogEntry {
  /** Milliseconds since the epoch when the record was written (its `time`, to the millisecond). */
  at: number;
  /** pino's label: trace, debug, info, warn, error, fatal. */
  level: string;
  /** The subgraph a record was logged for, else the logger's name (`gateway`, `knowledge-worker`). */
  service: string;
  msg: string;
  /** The filtered record as one JSON line (no newline). */
  line: string;
}

export type LogConsumer = (entry: LogEntry) => void;

/** Records logged before anyone attached (start-up) are kept up to this many, for the first consumer. */
const EARLY_MAX = 1000;

export class LogTap {
  #consumers = new Set<LogConsumer>();
  #early: LogEntry[] = [];

  offer(record: Record<string, unknown>, line: string): void {
    // The record was made a moment ago: the clock now is its time to the millisecond, without parsing `time`.
    const entry: LogEntry = {
      at: Date.now(),
      level: typeof record.level === 'string' ? record.level : String(record.level ?? 'info'),
      service: String(record.subgraph ?? record.name ?? 'unknown'),
      msg: typeof record.msg === 'string' ? record.msg : '',
      line,
    };
    if (this.#consumers.size === 0) {
      if (this.#early.length < EARLY_MAX) this.#early.push(entry);
      return;
    }
    for (const consume of this.#consumers) consume(entry);
  }

  /** Adds a consumer (handing it the start-up records, if it is the first); the result detaches it. */
  attach(consumer: LogConsumer): () => void {
    this.#consumers.add(consumer);
    const early = this.#early;
    this.#early = [];
    for (const entry of early) consumer(entry);
    return () => void this.#consumers.delete(consumer);
  }
}

const tap = new LogTap();

/** The tap every logger of this process writes to. */
export function processLogTap(): LogTap {
  return tap;
}
