// Spans encoded for OTLP as they end (otlp-spans.ts): the request bytes are exactly those of the SDK's own protobuf
// serialiser for the same spans, whatever they hold (every attribute type, non-ASCII and long strings, events, links,
// remote parents, trace state, several scopes, a span larger than the encoder's first buffer, a batch larger than
// what a writer keeps between batches), batch after batch; and the export: a full batch goes at once and a partial
// one after its delay, OTLP's retryable answers are retried with the same bytes, other refusals dropped and
// counted, and while the collector is away at most the bounded queue waits, the rest dropped and counted.
import { describe, it, expect, afterEach } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type Context } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SpanRecorder } from '../src/tracing/recorder.ts';
import { OtlpSpanEncoder, OtlpSpanExport } from '../src/tracing/otlp-spans.ts';

// The serialiser the SDK's OTLP exporters use, from the exporter's own copy of its transformer.
const sdkRequire = createRequire(import.meta.resolve('@opentelemetry/exporter-trace-otlp-http'));
const { ProtobufTraceSerializer } = sdkRequire('@opentelemetry/otlp-transformer') as {
  ProtobufTraceSerializer: { serializeRequest(spans: ReadableSpan[]): Uint8Array };
};
const sdkBytes = (spans: ReadableSpan[]) => Buffer.from(ProtobufTraceSerializer.serializeRequest(spans));

const resource = resourceFromAttributes({ 'service.name': 'sting-test', 'service.version': '1.0.0' });

/** A recorder whose ended spans are collected (in an in-memory exporter, as each ends). */
function recorderCollecting(): { recorder: SpanRecorder; ended: () => ReadableSpan[] } {
  const memory = new InMemorySpanExporter();
  const recorder = new SpanRecorder({ resource, processors: [new SimpleSpanProcessor(memory)] });
  return { recorder, ended: () => memory.getFinishedSpans() };
}

const remoteParent = (): Context =>
  trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
    traceState: new TraceState('vendor=a1b2,other=x'),
  });

/** Spans of every kind of content, in two scopes. */
function variedSpans(): ReadableSpan[] {
  const { recorder, ended } = recorderCollecting();
  const gateway = recorder.tracer('sting');
  const library = recorder.tracer('apollo/gateway-js', '2.9.0');
  const root = gateway.startSpan('POST /graphql', { kind: SpanKind.SERVER }, remoteParent());
  root.setAttributes({
    'http.request.method': 'POST',
    'http.response.status_code': 200,
    'graphql.operation.name': 'Zürich ☕ 東京', // non-ASCII
    'db.query.text': `select ${'"h0"."name", '.repeat(30)}1`, // over 127 bytes: a two-byte length
    'sting.huge': 'x'.repeat(20_000), // over the encoder's first buffer
    'sting.zero': 0,
    'sting.byte': 127,
    'sting.int32': 2 ** 31,
    'sting.int53': 2 ** 40 + 3,
    'sting.big': 2 ** 62,
    'sting.negative': -1,
    'sting.negative.big': -(2 ** 40),
    'sting.double': 1.5,
    'sting.nan': Number.NaN,
    'sting.infinity': Number.POSITIVE_INFINITY,
    'sting.flag': false,
    'sting.tags': ['a', 'b', 'ç'],
    'sting.numbers': [1, 2.5, -3],
    'sting.sparse': ['a', null, 'c'] as string[],
    'sting.empty': [],
  });
  const parent = trace.setSpan(remoteParent(), root);
  const fetch = library.startSpan(
    'gateway.fetch',
    { kind: SpanKind.CLIENT, attributes: { service: 'honey-jars' } },
    parent,
  );
  fetch.addEvent('exception', { 'exception.type': 'TypeError' });
  fetch.addEvent('retry');
  fetch.addLink({
    context: { traceId: '1'.repeat(32), spanId: '2'.repeat(16), traceFlags: TraceFlags.NONE, isRemote: true },
    attributes: { reason: 'batched' },
  });
  fetch.setStatus({ code: SpanStatusCode.ERROR, message: 'TypeError' });
  fetch.end();
  for (let i = 0; i < 3; i++) {
    const query = gateway.startSpan(
      'pg select',
      {
        kind: SpanKind.CLIENT,
        attributes: { 'db.system.name': 'postgresql', 'db.operation.name': 'select' },
      },
      parent,
    );
    query.end();
  }
  gateway.startSpan('ingest document', { kind: SpanKind.CONSUMER, startTime: Date.now() - 1234.5678 }).end();
  gateway.startSpan('event honeyjar.created', { kind: SpanKind.PRODUCER }).end();
  root.setStatus({ code: SpanStatusCode.OK });
  root.end();
  return ended();
}

describe('OTLP protobuf encoding as spans end', () => {
  it('writes the bytes the SDK serialiser writes for the same spans', () => {
    const spans = variedSpans();
    const encoder = new OtlpSpanEncoder(resource);
    for (const span of spans) encoder.add(span);
    expect(encoder.count).toBe(spans.length);
    const ours = encoder.take();
    expect(ours.length).toBeGreaterThan(20_000);
    expect(ours.equals(sdkBytes(spans))).toBe(true);
    expect(encoder.count).toBe(0);
    expect(encoder.take().length).toBe(0); // nothing added since
  });

  it('starts each batch afresh, its scopes in the order first seen in it', () => {
    const encoder = new OtlpSpanEncoder(resource);
    const spans = variedSpans();
    // First only the second scope's span, then the rest: each request holds its own spans only.
    const library = spans.filter((s) => s.instrumentationScope.name === 'apollo/gateway-js');
    const own = spans.filter((s) => s.instrumentationScope.name === 'sting');
    for (const span of library) encoder.add(span);
    expect(encoder.take().equals(sdkBytes(library))).toBe(true);
    for (const span of own) encoder.add(span);
    expect(encoder.take().equals(sdkBytes(own))).toBe(true);
    for (const span of [...own, ...library]) encoder.add(span);
    expect(encoder.take().equals(sdkBytes([...own, ...library]))).toBe(true);
  });

  it('writes a batch larger than the buffer it keeps between batches, and the next one after it', () => {
    const { recorder, ended } = recorderCollecting();
    const tracer = recorder.tracer('sting');
    for (let i = 0; i < 80; i++)
      tracer.startSpan(`large ${i}`, { attributes: { text: 'é'.repeat(10_000) } }).end();
    const large = ended();
    const encoder = new OtlpSpanEncoder(resource);
    for (const span of large) encoder.add(span);
    const request = encoder.take();
    expect(request.length).toBeGreaterThan(1 << 20);
    expect(request.equals(sdkBytes(large))).toBe(true);
    const small = variedSpans();
    for (const span of small) encoder.add(span);
    expect(encoder.take().equals(sdkBytes(small))).toBe(true);
  });
});

interface Received {
  body: Buffer;
  status: number;
}

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A collector answering each export with the next status of `statuses` (200 once they run out). */
async function collector(statuses: number[] = [], port = 0): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const status = statuses.shift() ?? 200;
      expect(req.url).toBe('/v1/traces');
      expect(req.headers['content-type']).toBe('application/x-protobuf');
      expect(req.headers['user-agent']).toBe('STING-OTLP-Exporter/1');
      received.push({ body: Buffer.concat(chunks), status });
      res.writeHead(status, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, received };
}

/** `count` ended spans of one scope. */
function spansOf(count: number): ReadableSpan[] {
  const { recorder, ended } = recorderCollecting();
  const tracer = recorder.tracer('sting');
  for (let i = 0; i < count; i++) tracer.startSpan(`span ${i}`, { attributes: { 'sting.index': i } }).end();
  return ended();
}

async function until(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('OTLP export of encoded spans', () => {
  it('sends a full batch at once and the rest after the delay, each as the SDK would', async () => {
    const { url, received } = await collector();
    const exporter = new OtlpSpanExport({ url, resource, maxBatchSpans: 4, delayMs: 200 });
    const spans = spansOf(6);
    for (const span of spans) exporter.onEnd(span);
    await until(() => received.length === 1); // four spans: a full batch, not waiting for the delay
    expect(received[0].body.equals(sdkBytes(spans.slice(0, 4)))).toBe(true);
    await until(() => received.length === 2); // the other two, once their batch is 200 ms old
    expect(received[1].body.equals(sdkBytes(spans.slice(4)))).toBe(true);
    await until(() => exporter.stats().sent === 6);
    expect(exporter.stats()).toEqual({ sent: 6, dropped: 0 });
    await exporter.shutdown();
  });

  it('retries what OTLP says to retry, with the same bytes, and drops what the collector refuses', async () => {
    const { url, received } = await collector([503, 429, 200, 400]);
    const exporter = new OtlpSpanExport({
      url,
      resource,
      maxBatchSpans: 100,
      delayMs: 5,
      initialBackoffMs: 10,
    });
    const first = spansOf(3);
    for (const span of first) exporter.onEnd(span);
    await until(() => received.length === 3);
    expect(received.map((r) => r.status)).toEqual([503, 429, 200]);
    for (const r of received) expect(r.body.equals(sdkBytes(first))).toBe(true);
    await until(() => exporter.stats().sent === 3); // once the answer is read
    expect(exporter.stats()).toEqual({ sent: 3, dropped: 0 });
    // A 400: the collector will never take it, so it is not sent again.
    const second = spansOf(2);
    for (const span of second) exporter.onEnd(span);
    await until(() => exporter.stats().dropped === 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toHaveLength(4);
    expect(exporter.stats()).toEqual({ sent: 3, dropped: 2 });
    await exporter.shutdown();
  });

  it('holds a bounded queue while the collector is away and sends what it held once it is back', async () => {
    // A port nothing listens on (connections refused) until the collector comes back on it.
    const away = createServer();
    await new Promise<void>((resolve) => away.listen(0, '127.0.0.1', resolve));
    const port = (away.address() as AddressInfo).port;
    await new Promise<void>((resolve) => away.close(() => resolve()));
    const exporter = new OtlpSpanExport({
      url: `http://127.0.0.1:${port}/v1/traces`,
      resource,
      maxBatchSpans: 10,
      maxQueuedSpans: 30,
      delayMs: 5,
      initialBackoffMs: 20,
    });
    const spans = spansOf(100);
    for (const span of spans) exporter.onEnd(span);
    // Three batches of ten wait; the other seventy were dropped as they came.
    expect(exporter.stats()).toEqual({ sent: 0, dropped: 70 });
    await new Promise((resolve) => setTimeout(resolve, 200)); // a few refused attempts
    expect(exporter.stats()).toEqual({ sent: 0, dropped: 70 });
    const { received } = await collector([], port);
    await exporter.forceFlush();
    await until(() => exporter.stats().sent === 30);
    expect(exporter.stats()).toEqual({ sent: 30, dropped: 70 });
    // The first thirty spans, in order: requests sent together are one request with their resource spans together.
    const expected = [0, 10, 20].map((from) => sdkBytes(spans.slice(from, from + 10)));
    expect(Buffer.concat(received.map((r) => r.body)).equals(Buffer.concat(expected))).toBe(true);
    await exporter.shutdown();
  });

  it('sends what is waiting when shut down, and takes no span after', async () => {
    const { url, received } = await collector();
    const exporter = new OtlpSpanExport({ url, resource, delayMs: 60_000 });
    const spans = spansOf(2);
    for (const span of spans) exporter.onEnd(span);
    await exporter.shutdown();
    expect(received).toHaveLength(1);
    expect(received[0].body.equals(sdkBytes(spans))).toBe(true);
    for (const span of spansOf(1)) exporter.onEnd(span);
    await exporter.forceFlush();
    expect(received).toHaveLength(1);
  });
});
