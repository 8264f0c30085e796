// Loki's push API in its protobuf form, the one Loki's own agents use: POST /loki/api/v1/push with
// `Content-Type: application/x-protobuf` and a snappy-framed PushRequest (logproto):
//   PushRequest   { repeated StreamAdapter streams = 1; }
//   StreamAdapter { string labels = 1; repeated EntryAdapter entries = 2; }  (labels: `{service="…", …}`)
//   EntryAdapter  { google.protobuf.Timestamp timestamp = 1; string line = 2; }
//   Timestamp     { int64 seconds = 1; int32 nanos = 2; }
// One stream per label set; labels are few and bounded (service, level, topology) so Loki's index stays small, and
// everything else is in the JSON line, searchable with LogQL filters.
// Why protobuf and not the JSON form: a line is JSON already, and the JSON form has every one of its quotes escaped
// inside a string of a stringified body, which cost about 2 µs a record; written as protobuf a line is copied as it
// is (about 0.1 µs a record), cheaply enough for the logging thread to encode each record as it is logged
// (loki-records.ts) and hand the push thread each request's bytes (loki-push-thread.ts) without copying them. The
// snappy framing holds the request as a single literal, uncompressed: Loki reads any snappy block, and compressing
// would cost the logging thread more than it saves on the way to a Loki nearby (a record is still about 15%
// smaller than in the JSON form).
import type { LogEntry } from './log-tap.ts';
import { PermanentBatchError } from './batch-sender.ts';
import { LokiRecords } from './loki-records.ts';
import { postProtobuf } from '../http/post-protobuf.ts';

/**
 * The push request of a batch of records (LokiRecords' form, loki-records.ts): one stream per (service, level),
 * labelled with the topology too, each record at its own nanosecond, in snappy framing.
 */
export function lokiPushRequest(entries: readonly LogEntry[], topology: string): Uint8Array {
  const records = new LokiRecords(topology, entries.length);
  for (const entry of entries) records.add(entry);
  return records.request(0, entries.length);
}

const LOKI_POSTER = { receiver: 'Loki', userAgent: 'STING-Loki-Push/1' };

/**
 * Pushes one request (lokiPushRequest's bytes). A 4xx other than 429 means Loki will never take this batch
 * (malformed, too old, too big): it is dropped rather than retried forever; anything else (5xx, 429, no answer) is
 * retried by the caller.
 */
export async function pushLokiRequest(baseUrl: string, body: Uint8Array, timeoutMs: number): Promise<void> {
  const status = await postProtobuf(new URL('/loki/api/v1/push', baseUrl), body, timeoutMs, LOKI_POSTER);
  if (status >= 200 && status < 300) return;
  const message = `Loki answered ${status}`;
  if (status >= 400 && status < 500 && status !== 429) {
    throw new PermanentBatchError(message);
  }
  throw new Error(message);
}
