// What exporting a span costs in each OTLP/HTTP encoding (observability.tracing.otlpProtocol): the platform's
// protobuf export (otlp-spans.ts: each span encoded as it ends, a request posted per 512), the SDK's protobuf
// exporter (what the platform used before, and the baseline) and its JSON exporter (the platform's http/json), each
// sending the same batches of 512 ended spans shaped like a request's (a server span, subgraph spans, PostgreSQL
// spans with their statement; made by the platform's span recorder) to a receiver in another process that reads
// each body and answers 200. CPU is this process's (encoding, the HTTP request and the answer's handling), per
// span; bytes are the bodies' sizes per span. The rows take turns in rounds (measure.ts's roundOrder), each reports
// the median of its rounds, and the ratios are against the SDK's protobuf exporter.
// node tests/bench/otlp-encoding.bench.ts   (BENCH_ROUNDS, rounded up to even; BENCH_BATCHES per row and round)
import { SpanKind } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { SpanRecorder } from '@sting/kit/tracing/recorder.ts';
import { OtlpSpanExport } from '@sting/kit/tracing/otlp-spans.ts';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { ROUND_ORDER, benchRounds, fixed, interleavedRounds, median, table } from './measure.ts';

const ROUNDS = benchRounds(10);
const BATCHES = Number(process.env.BENCH_BATCHES) || 100;
const BATCH = 512;

/** A receiver in its own process (its parsing is not the exporter's cost) that counts the bytes it is sent. */
async function receiver(): Promise<{ url: string; bytes(): Promise<number>; stop(): void }> {
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const http = await import('node:http');
       let bytes = 0;
       const server = http.createServer((req, res) => {
         req.on('data', (chunk) => (bytes += chunk.length));
         req.on('end', () => res.writeHead(200, { 'content-type': req.headers['content-type'] }).end());
       });
       server.listen(0, '127.0.0.1', () => console.log('http://127.0.0.1:' + server.address().port));
       process.on('message', () => process.send(bytes));`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
  );
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  return {
    url: `${line.toString().trim()}/v1/traces`,
    async bytes() {
      child.send('bytes');
      const [bytes] = (await once(child, 'message')) as [number];
      return bytes;
    },
    stop: () => void child.kill(),
  };
}

/** A request's spans, over and over: one server span, two subgraph spans, three PostgreSQL queries. */
function spans(count: number): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const recorder = new SpanRecorder({ resource, processors: [new SimpleSpanProcessor(memory)] });
  const tracer = recorder.tracer('sting');
  while (memory.getFinishedSpans().length < count) {
    const root = tracer.startSpan('HTTP POST', {
      kind: SpanKind.SERVER,
      attributes: {
        'http.request.method': 'POST',
        'url.path': '/graphql',
        'http.route': '/graphql',
        'graphql.operation.type': 'query',
      },
    });
    for (const subgraph of ['honey-jars', 'identity']) {
      tracer.startSpan(`subgraph ${subgraph}`, { attributes: { 'sting.subgraph': subgraph } }).end();
    }
    for (let i = 0; i < 3; i++)
      tracer
        .startSpan('pg select', {
          kind: SpanKind.CLIENT,
          attributes: {
            'db.system.name': 'postgresql',
            'db.operation.name': 'select',
            'db.query.text':
              'select "h0".* from "honey_jar" as "h0" where "h0"."deleted_at" is null and "h0"."id" in (?, ?) ' +
              'order by "h0"."created_at" desc limit ?',
          },
        })
        .end();
    root.setAttribute('http.response.status_code', 200);
    root.end();
  }
  return memory.getFinishedSpans().slice(0, count);
}

const resource = resourceFromAttributes({ 'service.name': 'sting-bench' });

/** The platform's export as an exporter of whole batches: each span handed over as it would end, then posted. */
function platformExporter(url: string): SpanExporter {
  const processor = new OtlpSpanExport({ url, resource, maxBatchSpans: BATCH, delayMs: 60_000 });
  return {
    export(batch, done) {
      for (const span of batch) processor.onEnd(span);
      processor.forceFlush().then(
        () => done({ code: 0 }),
        (error: Error) => done({ code: 1, error }),
      );
    },
    shutdown: () => processor.shutdown(),
  };
}

function exportOnce(exporter: SpanExporter, batch: ReadableSpan[]): Promise<void> {
  return new Promise((resolve, reject) =>
    exporter.export(batch, (result) =>
      result.code === 0 ? resolve() : reject(result.error ?? new Error('export failed')),
    ),
  );
}

const sink = await receiver();
try {
  const batch = spans(BATCH);
  const rows = [
    { name: 'http/protobuf, encoded as spans end', exporter: platformExporter(sink.url) },
    {
      name: 'http/protobuf, the SDK exporter',
      exporter: new ProtobufExporter({ url: sink.url }) as SpanExporter,
    },
    { name: 'http/json, the SDK exporter', exporter: new JsonExporter({ url: sink.url }) as SpanExporter },
  ].map((row) => ({ ...row, cpu: [] as number[], bytes: 0 }));
  // Warm-up: each exporter's code compiled and its connection open before anything is timed.
  for (const row of rows) for (let i = 0; i < 20; i++) await exportOnce(row.exporter, batch);
  await interleavedRounds(rows, ROUNDS, async (row) => {
    const bytesBefore = await sink.bytes();
    const before = process.cpuUsage();
    for (let i = 0; i < BATCHES; i++) await exportOnce(row.exporter, batch);
    const used = process.cpuUsage(before);
    row.cpu.push((used.user + used.system) / (BATCHES * BATCH));
    row.bytes = ((await sink.bytes()) - bytesBefore) / (BATCHES * BATCH);
  });
  for (const row of rows) await row.exporter.shutdown();
  const measured = rows.map((row) => ({ name: row.name, cpu: median(row.cpu), bytes: row.bytes }));
  const baseline = measured[1];
  process.stdout.write(
    `OTLP/HTTP export of ${BATCH}-span batches (a request's spans: server, subgraph, PostgreSQL), ${BATCHES} ` +
      `batches per row and round, ${ROUNDS} rounds, ${ROUND_ORDER}; CPU of the exporting process per span ` +
      `(median over rounds), bytes sent per span, and each against the SDK's protobuf exporter\n\n` +
      table(
        ['export', 'CPU µs/span', 'bytes/span', 'CPU / SDK protobuf', 'bytes / SDK protobuf'],
        measured.map((row) => [
          row.name,
          fixed(row.cpu, 2),
          fixed(row.bytes, 0),
          fixed(row.cpu / baseline.cpu, 2),
          fixed(row.bytes / baseline.bytes, 2),
        ]),
      ) +
      '\n',
  );
} finally {
  sink.stop();
}
