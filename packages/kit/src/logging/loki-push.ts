// Loki's push API in its JSON form (POST /loki/api/v1/push): one stream per label set, each value a pair of the
// timestamp in nanoseconds (as a string) and the log line. Labels are few and bounded (service, level, topology)
// so Loki's index stays small; everything else is in the JSON line, searchable with LogQL filters.
import type { LogEntry } from './log-tap.ts';
import { PermanentBatchError } from './batch-sender.ts';

export interface LokiStream {
  stream: Record<string, string>;
  values: [string, string][];
}

export interface LokiPushBody {
  streams: LokiStream[];
}

let lastMs = 0;
let sequence = 0;

/**
 * The record's time in nanoseconds, made strictly increasing within the process: records of one millisecond
 * get consecutive nanoseconds, so every shipped record has its own instant and the search can page by it.
 * (Plain numbers and string padding: this runs for every record shipped.)
 */
function uniqueNs(at: number): string {
  const ms = Math.trunc(at);
  if (ms > lastMs) {
    lastMs = ms;
    sequence = 0;
  } else if (++sequence > 999_999) {
    lastMs++;
    sequence = 0;
  }
  return `${lastMs}${String(sequence).padStart(6, '0')}`;
}

/** Groups a batch into streams by (service, level), every stream labelled with the topology too. */
export function lokiPushBody(entries: readonly LogEntry[], topology: string): LokiPushBody {
  const streams = new Map<string, LokiStream>();
  for (const entry of entries) {
    const key = `${entry.service}\0${entry.level}`;
    let stream = streams.get(key);
    if (!stream) {
      stream = { stream: { service: entry.service, level: entry.level, topology }, values: [] };
      streams.set(key, stream);
    }
    stream.values.push([uniqueNs(entry.at), entry.line]);
  }
  return { streams: [...streams.values()] };
}

/**
 * Pushes one batch. A 4xx other than 429 means Loki will never take this batch (malformed, too old, too big):
 * it is dropped rather than retried forever; anything else (5xx, 429, no answer) is retried by the caller.
 */
export async function pushToLoki(
  baseUrl: string,
  entries: readonly LogEntry[],
  topology: string,
  timeoutMs = 10_000,
): Promise<void> {
  const response = await fetch(new URL('/loki/api/v1/push', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(lokiPushBody(entries, topology)),
    signal: AbortSignal.timeout(timeoutMs),
  });
  await response.body?.cancel();
  if (response.ok) return;
  const message = `Loki answered ${response.status}`;
  if (response.status >= 400 && response.status < 500 && response.status !== 429) {
    throw new PermanentBatchError(message);
  }
  throw new Error(message);
}
