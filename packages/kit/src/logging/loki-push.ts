// Loki's push API in its JSON form (POST /loki/api/v1/push): one stream per label set, each value a pair of the
// timestamp in nanoseconds (as a string) and the log line. Labels are few and bounded (service, level, topology)
// so Loki's index stays small; everything else is in the JSON line, searchable with LogQL filters.
// A batch travels as columns (LokiColumns): its lines in an array of strings, their times and label sets in typed
// arrays. That is cheap to make from the records and to hand to the push thread (loki-push-thread.ts), which
// builds the body, stringifies it and posts it off the logging thread. (Copying an array of strings to another
// thread costs less than joining them into one string first, and far less than copying the record objects.)
import http from 'node:http';
import https from 'node:https';
import type { LogEntry } from './log-tap.ts';
import { PermanentBatchError } from './batch-sender.ts';

export interface LokiStream {
  stream: Record<string, string>;
  values: [string, string][];
}

export interface LokiPushBody {
  streams: LokiStream[];
}

/** A batch of records in columns, record i's in position i of each. */
export interface LokiColumns {
  lines: string[];
  /** Milliseconds since the epoch. */
  times: Float64Array<ArrayBuffer>;
  /** Index into `labels` of the record's (service, level). */
  labelOf: Uint32Array<ArrayBuffer>;
  /** Every (service, level) of the batch once: service, level, service, level, … */
  labels: string[];
}

/**
 * [last millisecond, sequence within it] of the newest timestamp given out. In shared memory, so that the push
 * thread, a later one, and the main thread (when it pushes itself) continue one sequence: one thread at a time.
 */
let clock = new Float64Array(new SharedArrayBuffer(2 * Float64Array.BYTES_PER_ELEMENT));

/** The memory of this process's timestamp sequence, for a push thread to continue it (useLokiClock). */
export function lokiClock(): SharedArrayBuffer {
  return clock.buffer as SharedArrayBuffer;
}

export function useLokiClock(memory: SharedArrayBuffer): void {
  clock = new Float64Array(memory);
}

/** Puts a batch in columns; a run of records with the same service and level costs no label lookup. */
export function lokiColumns(entries: readonly LogEntry[]): LokiColumns {
  const n = entries.length;
  const lines = new Array<string>(n);
  const times = new Float64Array(n);
  const labelOf = new Uint32Array(n);
  const labels: string[] = [];
  let service: string | undefined;
  let level: string | undefined;
  let label = 0;
  for (let i = 0; i < n; i++) {
    const entry = entries[i];
    lines[i] = entry.line;
    times[i] = entry.at;
    if (entry.service !== service || entry.level !== level) {
      service = entry.service;
      level = entry.level;
      label = 0;
      while (label < labels.length && (labels[label] !== service || labels[label + 1] !== level)) label += 2;
      if (label === labels.length) labels.push(service, level);
      label /= 2;
    }
    labelOf[i] = label;
  }
  return { lines, times, labelOf, labels };
}

/**
 * Groups a batch into streams by (service, level), every stream labelled with the topology too. Each record gets
 * its time in nanoseconds, made strictly increasing within the process: records of one millisecond get
 * consecutive nanoseconds, so every shipped record has its own instant and the search can page by it.
 * (Plain numbers and string padding: this runs for every record shipped.)
 */
export function lokiColumnsBody(columns: LokiColumns, topology: string): LokiPushBody {
  const { lines, times, labelOf, labels } = columns;
  const streams: LokiStream[] = [];
  for (let i = 0; i < labels.length; i += 2) {
    streams.push({ stream: { service: labels[i], level: labels[i + 1], topology }, values: [] });
  }
  let lastMs = clock[0];
  let sequence = clock[1];
  for (let i = 0; i < lines.length; i++) {
    const ms = Math.trunc(times[i]);
    if (ms > lastMs) {
      lastMs = ms;
      sequence = 0;
    } else if (++sequence > 999_999) {
      lastMs++;
      sequence = 0;
    }
    streams[labelOf[i]].values.push([`${lastMs}${String(sequence).padStart(6, '0')}`, lines[i]]);
  }
  clock[0] = lastMs;
  clock[1] = sequence;
  return { streams };
}

/** The push body of a batch of records (lokiColumnsBody of their columns). */
export function lokiPushBody(entries: readonly LogEntry[], topology: string): LokiPushBody {
  return lokiColumnsBody(lokiColumns(entries), topology);
}

/**
 * Pushes one batch. A 4xx other than 429 means Loki will never take this batch (malformed, too old, too big):
 * it is dropped rather than retried forever; anything else (5xx, 429, no answer) is retried by the caller.
 */
export async function pushLokiColumns(
  baseUrl: string,
  columns: LokiColumns,
  topology: string,
  timeoutMs: number,
): Promise<void> {
  const status = await postJson(
    new URL('/loki/api/v1/push', baseUrl),
    JSON.stringify(lokiColumnsBody(columns, topology)),
    timeoutMs,
  );
  if (status >= 200 && status < 300) return;
  const message = `Loki answered ${status}`;
  if (status >= 400 && status < 500 && status !== 429) {
    throw new PermanentBatchError(message);
  }
  throw new Error(message);
}

/** Kept-alive connections to Loki; an idle one never keeps the process alive (the agent unrefs it). */
const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

/**
 * POSTs a JSON body and resolves with the status once the answer has been read (its body discarded), or rejects
 * when there is no answer within `timeoutMs`. node:http rather than fetch: a push is one request a second or more
 * per process, and fetch costs about twice the CPU time per request of this size (a batch is a few hundred KB).
 */
function postJson(url: URL, json: string, timeoutMs: number): Promise<number> {
  // Encoded once and sent as bytes: handed a string this large, the socket's write cost about three times the
  // push thread's CPU of encoding it here.
  const body = Buffer.from(json);
  const secure = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(
      url,
      {
        method: 'POST',
        agent: secure ? agents.https : agents.http,
        headers: { 'content-type': 'application/json', 'content-length': body.length },
      },
      (response) => {
        response.once('error', fail);
        response.resume();
        response.once('end', () => {
          clearTimeout(timer);
          resolve(response.statusCode ?? 0);
        });
      },
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    // Like fetch's AbortSignal.timeout, the time limit alone never keeps the process alive.
    const timer = setTimeout(
      () => request.destroy(new Error(`Loki did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    ).unref();
    request.once('error', fail);
    request.end(body);
  });
}

/** Pushes one batch from this thread (see pushLokiColumns; loki-push-thread.ts pushes from its own). */
export async function pushToLoki(
  baseUrl: string,
  entries: readonly LogEntry[],
  topology: string,
  timeoutMs = 10_000,
): Promise<void> {
  await pushLokiColumns(baseUrl, lokiColumns(entries), topology, timeoutMs);
}
