// The hook every log record passes through before it is written. By default it is the process's shared Pollen
// Filter, kept in step with the secrets provider so values resolved after start-up are redacted too.
import { createPollenFilter, type PollenFilterOptions } from '@sting/pollen-filter';
import { processPollenFilter } from './process-filter.ts';

/** Receives a complete record (msg, bindings, merged fields, serialised err) and returns what may be written. */
export type RecordFilter = (record: Record<string, unknown>) => Record<string, unknown>;

export interface DefaultFilterOptions {
  /** Exact values to redact wherever they appear, e.g. `() => secrets.knownValues()`. */
  knownSecrets?: () => readonly string[];
  /** Options of a filter of this caller's own; without them the process's shared filter is used. */
  pollen?: PollenFilterOptions;
}

export function createDefaultFilter(options: DefaultFilterOptions = {}): RecordFilter {
  // Sharing the filter keeps one set of statistics per process. Known secrets added through any logger are
  // then redacted by all of them, which only ever redacts more.
  const filter = options.pollen ? createPollenFilter(options.pollen) : processPollenFilter();
  const knownSecrets = options.knownSecrets;
  let seen = 0;
  return (record) => {
    if (knownSecrets) {
      // Providers only ever add values, so the count says whether there is anything new to hand over.
      const values = knownSecrets();
      if (values.length !== seen) {
        filter.addKnownSecrets(values);
        seen = values.length;
      }
    }
    return filter.redactRecord(record);
  };
}

/** For `logging.pollenFilter.enabled: false`: records are written as they are. */
export const passThroughFilter: RecordFilter = (record) => record;
