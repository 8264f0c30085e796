// Spans exported over OTLP/HTTP in binary protobuf, each written into its request's bytes the moment it ends.
// The SDK's batch span processor holds every ended span as an object (with its attributes, ids and times) until
// its batch is exported, up to a second later, and its exporter then reads each span twice (it sizes the request,
// then writes it) and turns each hex id into a new array of bytes. With tracing on in the tracing-overhead bench,
// export was about half of what tracing added to a request (spans made but not exported cost about half as much).
// Here a span is encoded once as it ends, into bytes outside the JavaScript heap grouped by its instrumentation
// scope, and the span object dies young, as with tracing off (the same as Loki's records, loki-records.ts): 1.2-1.5 µs
// of CPU per span against the SDK's 2.5 (otlp-encoding.bench.ts). A batch's bytes become one
// ExportTraceServiceRequest when it has 512 spans or is a second old, and is posted (POST /v1/traces,
// `application/x-protobuf`) by a bounded sender that never blocks: OTLP's retryable answers (429, 502, 503, 504)
// and failures to connect are retried with exponential backoff, other refusals drop the batch; while the
// collector is away at most `maxQueuedSpans` wait, and more are dropped and counted.
// The bytes are those of the SDK's own protobuf serialiser for the same spans (otlp-spans.test.ts compares them):
//   ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
//   ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; string schema_url = 3; }
//   ScopeSpans    { InstrumentationScope scope = 1; repeated Span spans = 2; string schema_url = 3; }
//   Span          { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4;
//                   string name = 5; SpanKind kind = 6; fixed64 start_time_unix_nano = 7; fixed64 end_… = 8;
//                   repeated KeyValue attributes = 9; uint32 dropped_attributes_count = 10; repeated Event
//                   events = 11; uint32 dropped_events_count = 12; repeated Link links = 13; uint32
//                   dropped_links_count = 14; Status status = 15; fixed32 flags = 16; }
import type { AttributeValue, Attributes, HrTime, Link, SpanContext } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, SpanProcessor, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { BatchSender, PermanentBatchError } from '../logging/batch-sender.ts';
import { postProtobuf } from '../http/post-protobuf.ts';
import { varintSize, writeVarint } from '../protobuf/varint.ts';

/** A span's flags: whether its parent's remoteness is known (always), and whether the parent is remote. */
const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;
const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;

/** Value of a hex digit (0-9, a-f, A-F) by character code. */
const HEX = new Uint8Array(128);
for (let c = 0; c < 10; c++) HEX[48 + c] = c;
for (let c = 0; c < 6; c++) HEX[97 + c] = HEX[65 + c] = 10 + c;

/** The most a writer's buffer keeps between batches. */
const KEPT_BYTES = 1 << 20;

/** A growable buffer protobuf is written into. */
class Writer {
  buffer: Buffer;
  at = 0;

  constructor(bytes = 4096) {
    this.buffer = Buffer.allocUnsafeSlow(bytes);
  }

  /** A copy of what was written. */
  bytes(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.at));
  }

  /** Empties it for reuse; a buffer grown past KEPT_BYTES (a batch of very large spans) is let go. */
  reset(): void {
    this.at = 0;
    if (this.buffer.length > KEPT_BYTES) this.buffer = Buffer.allocUnsafeSlow(4096);
  }

  ensure(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    const larger = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.at + bytes));
    this.buffer.copy(larger, 0, 0, this.at);
    this.buffer = larger;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buffer[this.at++] = b;
  }

  /** A non-negative integer below 2^32 as a varint. */
  varint(n: number): void {
    this.ensure(5);
    this.at = writeVarint(this.buffer, this.at, n);
  }

  /** Any integer of int64's range as a varint (negatives in two's complement, ten bytes). */
  int64(n: number): void {
    if (n >= 0 && n <= 0xffffffff) return this.varint(n);
    let v = BigInt.asUintN(64, BigInt(n));
    this.ensure(10);
    while (v > 0x7fn) {
      this.buffer[this.at++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buffer[this.at++] = Number(v);
  }

  fixed32(n: number): void {
    this.ensure(4);
    this.buffer.writeUInt32LE(n >>> 0, this.at);
    this.at += 4;
  }

  double(n: number): void {
    this.ensure(8);
    this.buffer.writeDoubleLE(n, this.at);
    this.at += 8;
  }

  /**
   * [seconds, nanoseconds] as fixed64 nanoseconds since the epoch, exactly: seconds times 1e9 exceeds 2^53, so the
   * seconds are split at bit 16 and each part's product (below 2^53) added into the two 32-bit halves.
   */
  nanos(seconds: number, nanos: number): void {
    const low16 = (seconds & 0xffff) * 1e9;
    const high = Math.floor(seconds / 0x10000) * 1e9;
    const lowWord = (low16 >>> 0) + (((high & 0xffff) * 0x10000) >>> 0) + nanos;
    const highWord =
      Math.floor(low16 / 0x100000000) + Math.floor(high / 0x10000) + Math.floor(lowWord / 0x100000000);
    this.ensure(8);
    this.buffer.writeUInt32LE(lowWord >>> 0, this.at);
    this.buffer.writeUInt32LE(highWord >>> 0, this.at + 4);
    this.at += 8;
  }

  /** A string with its length before it (UTF-8). */
  string(s: string): void {
    const length = s.length;
    if (length < 0x80) {
      // Most are short and ASCII: written here, a byte per character, behind a one-byte length.
      this.ensure(1 + length);
      const buffer = this.buffer;
      const start = this.at;
      let i = 0;
      for (; i < length; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) break;
        buffer[start + 1 + i] = c;
      }
      if (i === length) {
        buffer[start] = length;
        this.at = start + 1 + length;
        return;
      }
    }
    const bytes = Buffer.byteLength(s);
    this.varint(bytes);
    this.ensure(bytes);
    this.at += this.buffer.write(s, this.at);
  }

  /** A hex id (trace, span) as its bytes, with their length. */
  hexId(hex: string): void {
    const bytes = hex.length >>> 1;
    this.ensure(1 + bytes);
    const buffer = this.buffer;
    buffer[this.at++] = bytes;
    for (let i = 0; i < bytes; i++)
      buffer[this.at++] = (HEX[hex.charCodeAt(2 * i) & 0x7f] << 4) | HEX[hex.charCodeAt(2 * i + 1) & 0x7f];
  }

  /** Starts a nested message: one byte is kept for its length, which most fit in. */
  begin(): number {
    this.ensure(1);
    return this.at++;
  }

  /** Ends the nested message begun at `start`, its length written before it (moved along when over one byte). */
  end(start: number): void {
    const length = this.at - start - 1;
    if (length < 0x80) {
      this.buffer[start] = length;
      return;
    }
    const extra = varintSize(length) - 1;
    this.ensure(extra);
    this.buffer.copyWithin(start + 1 + extra, start + 1, this.at);
    writeVarint(this.buffer, start, length);
    this.at += extra;
  }
}

function writeAnyValue(w: Writer, value: unknown): void {
  switch (typeof value) {
    case 'string':
      w.byte(0x0a); // string_value = 1
      w.string(value);
      return;
    case 'boolean':
      w.byte(0x10); // bool_value = 2
      w.byte(value ? 1 : 0);
      return;
    case 'number':
      if (Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64) {
        w.byte(0x18); // int_value = 3
        w.int64(value);
      } else {
        w.byte(0x21); // double_value = 4
        w.double(value);
      }
      return;
  }
  if (Array.isArray(value)) {
    w.byte(0x2a); // array_value = 5: ArrayValue { repeated AnyValue values = 1; }
    const array = w.begin();
    for (const item of value) {
      w.byte(0x0a);
      const itemStart = w.begin();
      writeAnyValue(w, item);
      w.end(itemStart);
    }
    w.end(array);
  }
  // null and anything else (never an attribute here: recorder.ts checks them): an empty AnyValue
}

/** Repeated KeyValue { string key = 1; AnyValue value = 2; } under field tag `tag`. */
function writeAttributes(w: Writer, tag: number, attributes: Attributes): void {
  for (const key in attributes) {
    w.byte(tag);
    const kv = w.begin();
    w.byte(0x0a);
    w.string(key);
    w.byte(0x12);
    const value = w.begin();
    writeAnyValue(w, attributes[key] as AttributeValue);
    w.end(value);
    w.end(kv);
  }
}

/** What the W3C propagator read from a carrier says of itself; a local span context leaves it unset. */
const flagsOf = (context: SpanContext, remote: boolean | undefined) =>
  (context.traceFlags & 0xff) | HAS_IS_REMOTE | (remote ? IS_REMOTE : 0);

/** Milliseconds since the epoch as [seconds, nanoseconds], as recorder.ts's times are read. */
function writeMs(w: Writer, ms: number): void {
  let seconds = Math.trunc(ms / 1000);
  let nanos = Math.round((ms - seconds * 1000) * 1e6);
  if (nanos >= 1e9) {
    seconds++;
    nanos -= 1e9;
  }
  w.nanos(seconds, nanos);
}

/** A span whose times are kept as epoch milliseconds (recorder.ts's RecordedSpan): read without an HrTime. */
interface MillisecondTimes {
  readonly startMs: number;
  readonly endMs: number;
}

const hasMs = (span: ReadableSpan): span is ReadableSpan & MillisecondTimes =>
  typeof (span as Partial<MillisecondTimes>).startMs === 'number';

function writeTime(w: Writer, time: HrTime): void {
  w.nanos(time[0], time[1]);
}

/** A Span message's contents (without its own tag and length). */
function writeSpan(w: Writer, span: ReadableSpan): void {
  const context = span.spanContext();
  w.byte(0x0a); // trace_id = 1
  w.hexId(context.traceId);
  w.byte(0x12); // span_id = 2
  w.hexId(context.spanId);
  const traceState = context.traceState?.serialize();
  if (traceState) {
    w.byte(0x1a); // trace_state = 3
    w.string(traceState);
  }
  const parent = span.parentSpanContext;
  if (parent?.spanId) {
    w.byte(0x22); // parent_span_id = 4
    w.hexId(parent.spanId);
  }
  w.byte(0x2a); // name = 5
  w.string(span.name);
  w.byte(0x30); // kind = 6 (the API's kinds one lower: OTLP's 0 is unspecified)
  w.varint(span.kind + 1);
  w.byte(0x39); // start_time_unix_nano = 7
  if (hasMs(span)) writeMs(w, span.startMs);
  else writeTime(w, span.startTime);
  w.byte(0x41); // end_time_unix_nano = 8
  if (hasMs(span)) writeMs(w, span.endMs);
  else writeTime(w, span.endTime);
  writeAttributes(w, 0x4a, span.attributes); // attributes = 9
  w.byte(0x50); // dropped_attributes_count = 10
  w.varint(span.droppedAttributesCount);
  for (const event of span.events) {
    w.byte(0x5a); // events = 11
    const start = w.begin();
    writeEvent(w, event);
    w.end(start);
  }
  w.byte(0x60); // dropped_events_count = 12
  w.varint(span.droppedEventsCount);
  for (const link of span.links) {
    w.byte(0x6a); // links = 13
    const start = w.begin();
    writeLink(w, link);
    w.end(start);
  }
  w.byte(0x70); // dropped_links_count = 14
  w.varint(span.droppedLinksCount);
  w.byte(0x7a); // status = 15: Status { string message = 2; StatusCode code = 3; }
  const status = w.begin();
  if (span.status.message) {
    w.byte(0x12);
    w.string(span.status.message);
  }
  w.byte(0x18);
  w.varint(span.status.code);
  w.end(status);
  w.byte(0x85); // flags = 16, fixed32: the tag takes two bytes
  w.byte(0x01);
  w.fixed32(flagsOf(context, parent?.isRemote));
}

/** Event { fixed64 time_unix_nano = 1; string name = 2; repeated KeyValue attributes = 3; uint32 dropped… = 4; } */
function writeEvent(w: Writer, event: TimedEvent): void {
  w.byte(0x09);
  writeTime(w, event.time);
  w.byte(0x12);
  w.string(event.name);
  if (event.attributes) writeAttributes(w, 0x1a, event.attributes);
  w.byte(0x20);
  w.varint(event.droppedAttributesCount ?? 0);
}

/** Link { trace_id = 1; span_id = 2; trace_state = 3; attributes = 4; dropped_attributes_count = 5; flags = 6; } */
function writeLink(w: Writer, link: Link): void {
  const context = link.context;
  w.byte(0x0a);
  w.hexId(context.traceId);
  w.byte(0x12);
  w.hexId(context.spanId);
  const traceState = context.traceState?.serialize();
  if (traceState) {
    w.byte(0x1a);
    w.string(traceState);
  }
  if (link.attributes) writeAttributes(w, 0x22, link.attributes);
  w.byte(0x28);
  w.varint(link.droppedAttributesCount ?? 0);
  w.byte(0x35);
  w.fixed32(flagsOf(context, context.isRemote));
}

/** The resource field of ResourceSpans (resource = 1: Resource { attributes = 1; dropped_attributes_count = 2; }). */
function resourceField(resource: Resource): Buffer {
  const w = new Writer();
  w.byte(0x0a);
  const start = w.begin();
  if (resource.attributes) writeAttributes(w, 0x0a, resource.attributes);
  w.byte(0x10);
  w.varint(0);
  w.end(start);
  return w.bytes();
}

/** The scope field of ScopeSpans (scope = 1: InstrumentationScope { name = 1; version = 2; }). */
function scopeField(scope: InstrumentationScope): Buffer {
  const w = new Writer();
  w.byte(0x0a);
  const start = w.begin();
  w.byte(0x0a);
  w.string(scope.name);
  if (scope.version) {
    w.byte(0x12);
    w.string(scope.version);
  }
  w.end(start);
  return w.bytes();
}

/** A string field's bytes (tag, length, UTF-8), or none for an empty string. */
function stringField(tag: number, value: string | undefined): Buffer {
  if (!value) return Buffer.alloc(0);
  const w = new Writer();
  w.byte(tag);
  w.string(value);
  return w.bytes();
}

/** One scope's spans of the batch being written: their Span fields (tag, length, contents), one after another. */
interface ScopeBatch {
  head: Buffer;
  tail: Buffer;
  spans: Writer;
}

/**
 * Writes spans into OTLP export requests as they end: `add` encodes one, `take` returns the request of every span
 * added since the last `take` (ExportTraceServiceRequest, one ResourceSpans, a ScopeSpans per instrumentation
 * scope in the order first seen) and starts the next.
 */
export class OtlpSpanEncoder {
  readonly #resource: Buffer;
  readonly #resourceSchema: Buffer;
  /** Scopes of the batch, in the order first seen; their writers are kept, emptied, for the next batch. */
  readonly #scopes = new Map<InstrumentationScope, ScopeBatch>();
  /** The span being written, before it is copied after its tag and length into its scope's spans. */
  readonly #span = new Writer();
  #count = 0;

  constructor(resource: Resource) {
    this.#resource = resourceField(resource);
    this.#resourceSchema = stringField(0x1a, resource.schemaUrl);
  }

  /** Spans added since the last take. */
  get count(): number {
    return this.#count;
  }

  add(span: ReadableSpan): void {
    const scope = span.instrumentationScope;
    let batch = this.#scopes.get(scope);
    if (!batch) {
      batch = { head: scopeField(scope), tail: stringField(0x1a, scope.schemaUrl), spans: new Writer() };
      this.#scopes.set(scope, batch);
    }
    const w = this.#span;
    w.reset();
    writeSpan(w, span);
    const spans = batch.spans;
    spans.byte(0x12); // spans = 2
    spans.varint(w.at);
    spans.ensure(w.at);
    w.buffer.copy(spans.buffer, spans.at, 0, w.at);
    spans.at += w.at;
    this.#count++;
  }

  /** The request of the spans added since the last take (none: an empty buffer), in a buffer of its own. */
  take(): Buffer {
    if (this.#count === 0) return Buffer.alloc(0);
    let resourceSpans = this.#resource.length + this.#resourceSchema.length;
    const scopeLengths: number[] = [];
    for (const [scope, batch] of this.#scopes) {
      if (batch.spans.at === 0) {
        this.#scopes.delete(scope); // none this time: a scope made once (a library's) is not carried on
        continue;
      }
      const length = batch.head.length + batch.spans.at + batch.tail.length;
      scopeLengths.push(length);
      resourceSpans += 1 + varintSize(length) + length;
    }
    const out = new Writer(1 + varintSize(resourceSpans) + resourceSpans);
    out.byte(0x0a); // resource_spans = 1
    out.varint(resourceSpans);
    out.buffer.set(this.#resource, out.at);
    out.at += this.#resource.length;
    let i = 0;
    for (const batch of this.#scopes.values()) {
      out.byte(0x12); // scope_spans = 2
      out.varint(scopeLengths[i++]);
      for (const part of [batch.head, batch.spans.buffer.subarray(0, batch.spans.at), batch.tail]) {
        out.buffer.set(part, out.at);
        out.at += part.length;
      }
      batch.spans.reset();
    }
    out.buffer.set(this.#resourceSchema, out.at);
    this.#count = 0;
    return out.buffer;
  }
}

export interface OtlpSpanExportOptions {
  /** The traces endpoint (…/v1/traces). */
  url: string;
  resource: Resource;
  /** Spans per export request at most (the SDK's default: 512). */
  maxBatchSpans?: number;
  /** How long a span waits at most before its batch goes (the SDK's default: 5 s; STING's: 1 s). */
  delayMs?: number;
  /** Spans waiting at most, in flight included; more are dropped and counted. */
  maxQueuedSpans?: number;
  timeoutMs?: number;
  /** First retry delay, doubled per consecutive failure. */
  initialBackoffMs?: number;
}

const OTLP_POSTER = { receiver: 'The OTLP collector', userAgent: 'STING-OTLP-Exporter/1' };

/** What an export request carries: its bytes and how many spans. */
interface ExportRequest {
  body: Buffer;
  spans: number;
}

/**
 * A span processor exporting over OTLP/HTTP in protobuf (see the top of this file), in place of the SDK's batch
 * span processor and OTLP exporter.
 */
export class OtlpSpanExport implements SpanProcessor {
  readonly #encoder: OtlpSpanEncoder;
  readonly #url: URL;
  readonly #maxBatchSpans: number;
  readonly #delayMs: number;
  readonly #timeoutMs: number;
  readonly #sender: BatchSender<ExportRequest>;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #sent = 0;
  #dropped = 0;

  constructor(options: OtlpSpanExportOptions) {
    this.#encoder = new OtlpSpanEncoder(options.resource);
    this.#url = new URL(options.url);
    this.#maxBatchSpans = options.maxBatchSpans ?? 512;
    this.#delayMs = options.delayMs ?? 1000;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    const maxQueued = options.maxQueuedSpans ?? 4096;
    this.#sender = new BatchSender<ExportRequest>({
      send: (requests) => this.#post(requests),
      batchSize: 1,
      flushIntervalMs: 0,
      maxBuffer: Math.max(1, Math.ceil(maxQueued / this.#maxBatchSpans)),
      initialBackoffMs: options.initialBackoffMs ?? 1000,
      maxBackoffMs: 30_000,
    });
  }

  /** Spans exported, and spans dropped (the queue full, or refused by the collector). */
  stats(): { sent: number; dropped: number } {
    return { sent: this.#sent, dropped: this.#dropped };
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (this.#stopped) return;
    this.#encoder.add(span);
    if (this.#encoder.count >= this.#maxBatchSpans) this.#seal();
    else if (!this.#timer) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#seal();
      }, this.#delayMs);
      this.#timer.unref();
    }
  }

  async forceFlush(): Promise<void> {
    this.#seal();
    await this.#sender.flush();
  }

  async shutdown(): Promise<void> {
    this.#seal();
    this.#stopped = true;
    await this.#sender.stop();
  }

  /** The batch being written becomes a request, queued to be sent. */
  #seal(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const spans = this.#encoder.count;
    if (spans === 0) return;
    const request = { body: this.#encoder.take(), spans };
    if (!this.#sender.offer(request)) this.#dropped += spans;
  }

  /**
   * Posts requests (more than one when catching up: a concatenation of ExportTraceServiceRequests is one, with
   * their resource spans together). OTLP/HTTP: 429, 502, 503 and 504 are worth retrying, other refusals are not.
   */
  async #post(requests: ExportRequest[]): Promise<void> {
    const body = requests.length === 1 ? requests[0].body : Buffer.concat(requests.map((r) => r.body));
    const spans = requests.reduce((n, r) => n + r.spans, 0);
    const status = await postProtobuf(this.#url, body, this.#timeoutMs, OTLP_POSTER);
    if (status >= 200 && status < 300) {
      this.#sent += spans;
      return;
    }
    const message = `the OTLP collector answered ${status}`;
    if (status === 429 || status === 502 || status === 503 || status === 504) throw new Error(message);
    this.#dropped += spans;
    throw new PermanentBatchError(message);
  }
}
