// The one logger: pino writing structured JSON, every record passing through the record filter at the
// destination, after pino has merged msg, bindings, fields and the serialised err, so nothing bypasses it.
import { pino, type DestinationStream, type Level, type Logger } from 'pino';
import type { PollenFilterOptions } from '@sting/pollen-filter';
import { createDefaultFilter, passThroughFilter, type RecordFilter } from './record-filter.ts';
import type { SecretsProvider } from '../secrets/provider.ts';
import { processLogTap, type LogTap } from './log-tap.ts';
import { traceFields } from '../tracing/tracing.ts';
import { countLogRecord } from '../metrics/platform-metrics.ts';

export interface LoggerOptions {
  /** Service or component name, e.g. `gateway`, `honey-jars`. */
  name: string;
  level?: Level | 'silent';
  /** Default: the process's shared Pollen Filter (`processPollenFilter()`, with the secrets provider's known values). */
  filter?: RecordFilter;
  /** Options for a Pollen Filter of this logger's own instead of the shared one; `false` (logging.pollenFilter.enabled: false) writes records unfiltered. */
  pollen?: PollenFilterOptions | false;
  /** Where filtered lines go (default stdout). */
  destination?: { write(line: string): unknown };
  /** Its known secret values are redacted wherever they appear. */
  secrets?: Pick<SecretsProvider, 'knownValues'>;
  /** Where filtered records are also offered for shipping (default the process's tap); false: nowhere. */
  tap?: LogTap | false;
}

export function createLogger(options: LoggerOptions): Logger {
  const secrets = options.secrets;
  const filter =
    options.filter ??
    (options.pollen === false
      ? passThroughFilter
      : createDefaultFilter({
          knownSecrets: secrets ? () => secrets.knownValues() : undefined,
          pollen: options.pollen,
        }));
  const target = options.destination ?? lineDestination();
  return pino(
    {
      name: options.name,
      level: options.level ?? 'info',
      timestamp: isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: serializeError, error: serializeError },
      // traceId and spanId of the active span, so a record leads to its trace (nothing while tracing is off).
      mixin: traceFields,
    },
    new FilteredDestination(
      target,
      filter,
      options.tap === false ? undefined : (options.tap ?? processLogTap()),
    ),
  );
}

export interface LineDestination {
  write(line: string): void;
  /** Writes what is pending and closes the file (a destination of its own, such as a benchmark's). */
  close(): Promise<void>;
}

/**
 * Where a logger writes its filtered lines by default: standard output (or a file), asynchronously, flushed when
 * the process exits. Each line goes as bytes (pino's destination in buffer mode): given strings, it measures its
 * whole pending chunk again at every line, up to 16 KB each time, which cost more than filtering the record.
 */
export function lineDestination(dest: number | string = 1): LineDestination {
  const stream = pino.destination({ dest, sync: false, contentMode: 'buffer' });
  return {
    write: (line) => void stream.write(Buffer.from(line) as unknown as string),
    close: () =>
      new Promise((resolve, reject) => {
        stream.once('close', () => resolve());
        stream.once('error', reject);
        stream.end();
      }),
  };
}

let timeMs = NaN;
let timeField = '';

/**
 * pino's isoTime, made once per millisecond: formatting a date costs about a microsecond, and a busy process logs
 * many records in the same millisecond.
 */
export function isoTime(): string {
  const now = Date.now();
  if (now !== timeMs) {
    timeMs = now;
    timeField = `,"time":"${new Date(now).toISOString()}"`;
  }
  return timeField;
}

/**
 * PostgreSQL's error fields that quote a row's values (`detail`: `Key (email)=(ada@example.com) already exists`,
 * and the context of a failing function): a record keeps the error's code, constraint, table and column, which say
 * what went wrong, and leaves these out, since the Pollen Filter only knows the personal data it can recognise.
 */
const ROW_VALUE_FIELDS = ['detail', 'where', 'internalQuery'] as const;

/** What pino's error serialiser writes of every error, besides the error's own fields. */
const SERIALISED_FIELDS = new Set(['type', 'message', 'stack', 'aggregateErrors']);
const FLAT_ENTRIES_MAX = 32;

/**
 * Whether an error's own field goes into the record: a value (string, number, boolean), or a short list or plain
 * object of values (a GraphQL error's `extensions`, `path`). Objects that hold objects are left out: libraries hang
 * what they were working with on their errors (pg-pool the whole connection, `client`, with its connection
 * parameters; an HTTP client the request's `options` with its headers, a Vault token among them; a response), and
 * a record is not the place for either their size or their secrets.
 */
function loggable(value: unknown): boolean {
  if (value === null || typeof value !== 'object')
    return typeof value !== 'function' && typeof value !== 'symbol';
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) return false;
  const entries = Object.values(value);
  return entries.length <= FLAT_ENTRIES_MAX && entries.every((v) => v === null || typeof v !== 'object');
}

type SerialisedError = ReturnType<typeof pino.stdSerializers.err>;

/**
 * pino's error serialiser, keeping of each error's own fields only what says what went wrong: not the fields of a
 * database error that quote values, nor fields holding objects (see loggable). Errors in fields (pino serialises
 * them too) and an aggregate's errors are kept the same way.
 */
export function serializeError(err: Error): SerialisedError {
  const record = pino.stdSerializers.err(err);
  const serialised = Object.getPrototypeOf(record) as unknown;
  const isSerialised = (value: unknown): value is SerialisedError =>
    typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === serialised;
  // pino serialises an error met again as a field of its own causes only once, so the records form a tree.
  const keep = (at: SerialisedError): void => {
    for (const field of ROW_VALUE_FIELDS) delete at[field];
    for (const field of Object.keys(at)) {
      const value = at[field] as unknown;
      if (isSerialised(value)) keep(value);
      else if (field === 'aggregateErrors' && Array.isArray(value)) value.filter(isSerialised).forEach(keep);
      else if (!SERIALISED_FIELDS.has(field) && !loggable(value)) delete at[field];
    }
  };
  keep(record);
  return record;
}

export { requestLogger } from './request-logger.ts';

/** Parses each line pino produces, filters the whole record, and writes the result; never the original. */
export class FilteredDestination implements DestinationStream {
  #target: { write(line: string): unknown };
  #filter: RecordFilter;
  #tap: LogTap | undefined;

  /** `tap`, when given, is offered each filtered record (shipping to Loki or the log store). */
  constructor(target: { write(line: string): unknown }, filter: RecordFilter, tap?: LogTap) {
    this.#target = target;
    this.#filter = filter;
    this.#tap = tap;
  }

  write(line: string): void {
    let record: Record<string, unknown>;
    let out: string;
    try {
      record = this.#filter(JSON.parse(line) as Record<string, unknown>);
      out = JSON.stringify(record);
    } catch (err) {
      // Failing closed: a record the filter cannot handle is replaced, not written as it was.
      record = {
        level: 'error',
        time: new Date().toISOString(),
        msg: 'log record dropped: the record filter failed',
        filterError: (err as Error).name,
      };
      out = JSON.stringify(record);
    }
    this.#target.write(out + '\n');
    countLogRecord(record.level);
    this.#tap?.offer(record, out);
  }
}
