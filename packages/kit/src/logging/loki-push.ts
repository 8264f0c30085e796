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
// is (about 0.05 µs a record), cheaply enough for the logging thread to encode its batch itself and hand the push
// thread the bytes (loki-push-thread.ts) without copying them. The snappy framing holds the request as a single
// literal, uncompressed: Loki reads any snappy block, and compressing would cost the logging thread more than it
// saves on the way to a Loki nearby (a record is still about 15% smaller than in the JSON form).
import http from 'node:http';
import https from 'node:https';
import type { LogEntry } from './log-tap.ts';
import { PermanentBatchError } from './batch-sender.ts';

/** [last millisecond, sequence within it] of the newest timestamp given out by this thread. */
let lastMs = 0;
let sequence = 0;

/** Room kept before the request for the snappy header (a varint and a literal's tag, 5 bytes each at most). */
const HEADER = 10;

const varintSize = (n: number): number =>
  n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5;

/** A label value in LogQL's quoting: backslash, quote and newline escaped. */
const quoted = (value: string): string => JSON.stringify(value);

/**
 * Writes protobuf into one growing buffer of its own (not Node's shared pool: the bytes are handed to another
 * thread without a copy). A length-delimited field reserves the bytes its length needs at most and moves its
 * contents back once the length is known, when that takes fewer.
 */
class ProtobufWriter {
  buffer: Buffer;
  at: number;

  constructor(capacity: number, start: number) {
    this.buffer = Buffer.from(new ArrayBuffer(capacity));
    this.at = start;
  }

  ensure(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    const grown = Buffer.from(new ArrayBuffer(Math.max(this.buffer.length * 2, this.at + bytes)));
    this.buffer.copy(grown, 0, 0, this.at);
    this.buffer = grown;
  }

  /** A varint (room made by the caller). */
  varint(n: number): void {
    const buffer = this.buffer;
    while (n >= 0x80) {
      buffer[this.at++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    buffer[this.at++] = n;
  }

  /**
   * Opens a length-delimited field whose contents take at most `maxBytes` (room for them is made as they are
   * written); close() with the result.
   */
  open(tag: number, maxBytes: number): number {
    this.ensure(6);
    this.buffer[this.at++] = tag;
    const reserved = varintSize(maxBytes);
    const start = this.at + reserved;
    this.at = start;
    return start * 8 + reserved;
  }

  close(mark: number): void {
    const reserved = mark % 8;
    const start = (mark - reserved) / 8;
    const length = this.at - start;
    const needed = varintSize(length);
    if (needed !== reserved) {
      if (needed > reserved) this.ensure(needed - reserved);
      this.buffer.copyWithin(start - reserved + needed, start, this.at);
      this.at += needed - reserved;
    }
    const end = this.at;
    this.at = start - reserved;
    this.varint(length);
    this.at = end;
  }

  /** A string field: its UTF-8 bytes copied in. */
  string(tag: number, value: string): void {
    const mark = this.open(tag, value.length * 3);
    this.ensure(value.length * 3);
    this.at += this.buffer.write(value, this.at);
    this.close(mark);
  }
}

/**
 * The push request of a batch: its records grouped into streams by (service, level), labelled with the topology
 * too, in snappy framing. Each record gets its time in nanoseconds, made strictly increasing within the process:
 * records of one millisecond get consecutive nanoseconds, so every shipped record has its own instant and the
 * search can page by it.
 */
export function lokiPushRequest(entries: readonly LogEntry[], topology: string): Uint8Array {
  const n = entries.length;
  // Each record's stream, and its time as [millisecond, sequence]: given out in the order logged.
  const streamOf = new Uint32Array(n);
  const msOf = new Float64Array(n);
  const sequenceOf = new Uint32Array(n);
  const labels: string[] = [];
  const streams: { service: string; level: string }[] = [];
  let service: string | undefined;
  let level: string | undefined;
  let stream = 0;
  let bytes = HEADER;
  for (let i = 0; i < n; i++) {
    const entry = entries[i];
    if (entry.service !== service || entry.level !== level) {
      service = entry.service;
      level = entry.level;
      stream = 0;
      while (
        stream < streams.length &&
        (streams[stream].service !== service || streams[stream].level !== level)
      )
        stream++;
      if (stream === streams.length) {
        streams.push({ service, level });
        labels.push(`{service=${quoted(service)}, level=${quoted(level)}, topology=${quoted(topology)}}`);
      }
    }
    streamOf[i] = stream;
    const ms = Math.trunc(entry.at);
    if (ms > lastMs) {
      lastMs = ms;
      sequence = 0;
    } else if (++sequence > 999_999) {
      lastMs++;
      sequence = 0;
    }
    msOf[i] = lastMs;
    sequenceOf[i] = sequence;
    bytes += entry.line.length + 32;
  }
  for (const label of labels) bytes += label.length * 3 + 16;
  const writer = new ProtobufWriter(bytes, HEADER);
  for (let s = 0; s < streams.length; s++) {
    // A stream's contents are at most every record's (times, tags and lengths included) and its labels.
    let most = labels[s].length * 3 + 6;
    for (let i = 0; i < n; i++) if (streamOf[i] === s) most += entries[i].line.length * 3 + 32;
    const streamMark = writer.open(0x0a, most); // streams = 1
    writer.string(0x0a, labels[s]); // labels = 1
    for (let i = 0; i < n; i++) {
      if (streamOf[i] !== s) continue;
      const line = entries[i].line;
      const entryMark = writer.open(0x12, line.length * 3 + 26); // entries = 2
      const ms = msOf[i];
      const seconds = Math.floor(ms / 1000);
      const nanos = (ms - seconds * 1000) * 1_000_000 + sequenceOf[i];
      const timeMark = writer.open(0x0a, 16); // timestamp = 1
      writer.ensure(16);
      writer.buffer[writer.at++] = 0x08; // seconds = 1
      writer.varint(seconds);
      if (nanos > 0) {
        writer.buffer[writer.at++] = 0x10; // nanos = 2
        writer.varint(nanos);
      }
      writer.close(timeMark);
      writer.string(0x12, line); // line = 2
      writer.close(entryMark);
    }
    writer.close(streamMark);
  }
  // Snappy block: the uncompressed length, then the whole request as one literal (tag 60 + k: k bytes of length).
  const length = writer.at - HEADER;
  const header: number[] = [];
  for (let rest = length; ; rest = Math.floor(rest / 0x80)) {
    if (rest < 0x80) {
      header.push(rest);
      break;
    }
    header.push((rest % 0x80) | 0x80);
  }
  if (length > 0) {
    const literal = length - 1;
    if (literal < 60) header.push(literal << 2);
    else {
      const k = literal < 0x100 ? 1 : literal < 0x10000 ? 2 : literal < 0x1000000 ? 3 : 4;
      header.push((59 + k) << 2);
      for (let i = 0, rest = literal; i < k; i++, rest = Math.floor(rest / 0x100)) header.push(rest % 0x100);
    }
  }
  const start = HEADER - header.length;
  writer.buffer.set(header, start);
  return writer.buffer.subarray(start, writer.at);
}

/**
 * Pushes one request (lokiPushRequest's bytes). A 4xx other than 429 means Loki will never take this batch
 * (malformed, too old, too big): it is dropped rather than retried forever; anything else (5xx, 429, no answer) is
 * retried by the caller.
 */
export async function pushLokiRequest(baseUrl: string, body: Uint8Array, timeoutMs: number): Promise<void> {
  const status = await post(new URL('/loki/api/v1/push', baseUrl), body, timeoutMs);
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
 * POSTs a push request and resolves with the status once the answer has been read (its body discarded), or rejects
 * when there is no answer within `timeoutMs`. node:http rather than fetch: a push is one request a second or more
 * per process, and fetch costs about twice the CPU time per request of this size (a batch is a few hundred KB).
 */
function post(url: URL, body: Uint8Array, timeoutMs: number): Promise<number> {
  const secure = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const request = (secure ? https : http).request(
      url,
      {
        method: 'POST',
        agent: secure ? agents.https : agents.http,
        headers: { 'content-type': 'application/x-protobuf', 'content-length': body.length },
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

/** Pushes one batch from this thread (see pushLokiRequest; loki-push-thread.ts pushes from its own). */
export async function pushToLoki(
  baseUrl: string,
  entries: readonly LogEntry[],
  topology: string,
  timeoutMs = 10_000,
): Promise<void> {
  await pushLokiRequest(baseUrl, lokiPushRequest(entries, topology), timeoutMs);
}
