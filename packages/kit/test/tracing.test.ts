// The process's tracing: off, nothing is added anywhere (no SDK, no fields, no headers); on, log records carry the
// active span's ids (through the real Pollen Filter), events carry traceparent, a bus consumer continues the
// publisher's trace, PostgreSQL queries inside a trace get spans of their own with no values in them, Apollo's
// gateway records only its planning and fetch spans and follows tracing as it stops and starts again, an unsampled
// caller's trace stays unrecorded, a recorded span is what exporters read (values checked and copied, exceptions
// by type only), and span ids are well-formed W3C ids.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import pg from 'pg';
import {
  INVALID_SPAN_CONTEXT,
  ROOT_CONTEXT,
  SamplingDecision,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  propagation,
  trace,
  type Sampler,
  type Tracer,
} from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { createLogger } from '../src/logging/logger.ts';
import { createEvent } from '../src/bus/envelope.ts';
import { EventTypes } from '../src/bus/topics.ts';
import { InProcessEventBus } from '../src/bus/in-process-bus.ts';
import { followTopic } from '../src/bus/follow.ts';
import {
  activeSpan,
  inSpan,
  injectTraceContext,
  markFailedAs,
  otlpTracesUrl,
  startTracing,
  traceFields,
  tracingEnabled,
  inRemoteSpan,
  inRecordedTrace,
  startSpan,
  type Tracing,
} from '../src/tracing/index.ts';
import { PooledIdGenerator } from '../src/tracing/span-ids.ts';
import { SpanRecorder } from '../src/tracing/recorder.ts';
import { operationOf, queryText } from '../src/tracing/postgres-spans.ts';
import { sqlWithoutValues } from '../src/tracing/sql-text.ts';

function capture() {
  const lines: string[] = [];
  const logger = createLogger({
    name: 'trace-test',
    destination: { write: (l: string) => lines.push(l) },
    tap: false,
  });
  return { logger, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('tracing off (the default)', () => {
  it('adds nothing: no trace fields, no headers, no event metadata', async () => {
    const tracing = await startTracing({ enabled: false, otlpUrl: '', serviceName: 's', sampleRatio: 1 });
    expect(tracingEnabled()).toBe(false);
    const { logger, records } = capture();
    await inSpan('work', async (span) => {
      expect(span).toBeUndefined();
      logger.info('inside');
    });
    expect(records()[0]).not.toHaveProperty('traceId');
    expect(traceFields()).toEqual({});
    expect(activeSpan()).toBeUndefined();
    expect(injectTraceContext({})).toEqual({});
    expect(
      createEvent(EventTypes.userAction, {}, { source: 't', metadata: { actorId: 'a' } }).metadata,
    ).toEqual({
      actorId: 'a',
    });
    await tracing.stop();
  });

  it('posts to /v1/traces when given a bare collector origin, and keeps a full endpoint as it is', () => {
    expect(otlpTracesUrl('http://collector:4318')).toBe('http://collector:4318/v1/traces');
    expect(otlpTracesUrl('http://collector:4318/custom/traces')).toBe('http://collector:4318/custom/traces');
  });
});

describe('tracing on', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  beforeAll(async () => {
    tracing = await startTracing(
      { enabled: true, otlpUrl: '', serviceName: 'kit-test', sampleRatio: 1 },
      { exporter },
    );
  });
  afterAll(async () => {
    await tracing.stop();
    expect(tracingEnabled()).toBe(false);
  });

  it('puts the active span ids in log records, untouched by the Pollen Filter', async () => {
    const { logger, records } = capture();
    let ids: { traceId: string; spanId: string } | undefined;
    await inSpan('logged', async (span) => {
      ids = span!.spanContext();
      logger.info('inside a span');
    });
    logger.info('outside');
    const [inside, outside] = records();
    expect(inside.traceId).toBe(ids!.traceId);
    expect(inside.spanId).toBe(ids!.spanId);
    expect(outside).not.toHaveProperty('traceId');
  });

  it('a second start joins the running provider and cannot stop it', async () => {
    const joined = await startTracing({ enabled: true, otlpUrl: '', serviceName: 'other', sampleRatio: 1 });
    await joined.stop();
    expect(tracingEnabled()).toBe(true);
  });

  it('marks a failed span with the error name only, never its message', async () => {
    exporter.reset();
    await expect(
      inSpan('failing', async () => {
        throw new TypeError('secret@example.com was typed here');
      }),
    ).rejects.toThrow(TypeError);
    const [span] = exporter.getFinishedSpans();
    expect(span.status).toEqual({ code: 2, message: 'TypeError' });
    expect(JSON.stringify(span.attributes)).not.toContain('secret@example.com');
    expect(span.events).toHaveLength(0);
  });

  it('continues the publisher trace in a bus consumer through the event metadata', async () => {
    exporter.reset();
    const bus = new InProcessEventBus();
    const handled: string[] = [];
    const stop = await followTopic(
      bus,
      EventTypes.userAction,
      async () => void handled.push(traceFields().traceId ?? 'none'),
      { error: () => {} },
    );
    let traceId = '';
    await inSpan('publisher', async (span) => {
      traceId = span!.spanContext().traceId;
      const event = createEvent(EventTypes.userAction, { n: 1 }, { source: 'test' });
      expect(String(event.metadata.traceparent)).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      await bus.publish(EventTypes.userAction, event);
    });
    // An event published outside any trace starts none.
    await bus.publish(
      EventTypes.userAction,
      createEvent(EventTypes.userAction, { n: 2 }, { source: 'test' }),
    );
    while (handled.length < 2) await new Promise((r) => setTimeout(r, 5));
    await stop();
    await bus.close();
    expect(handled).toEqual([traceId, 'none']);
    const consumer = exporter.getFinishedSpans().find((s) => s.name === `event ${EventTypes.userAction}`);
    expect(consumer?.spanContext().traceId).toBe(traceId);
  });

  it('gives PostgreSQL queries inside a trace a span with the statement and without its values, inline or as parameters', async () => {
    exporter.reset();
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      await client.query('select 1 as outside');
      await inSpan('request', async () => {
        await client.query('select $1::text as secret', ['value-that-stays-out']);
        // MikroORM writes most values into the text itself.
        await client.query("select 'ada@example.com'::text as email, 4111111111111111 as card");
        await expect(client.query('select * from no_such_table')).rejects.toThrow();
      });
    } finally {
      await client.end();
    }
    const queries = exporter.getFinishedSpans().filter((s) => s.name.startsWith('pg '));
    expect(queries.map((s) => s.attributes['db.query.text'])).toEqual([
      'select $1::text as secret',
      'select ?::text as email, ? as card',
      'select * from no_such_table',
    ]);
    const recorded = JSON.stringify(queries.map((s) => s.attributes));
    for (const value of ['value-that-stays-out', 'ada@example.com', '4111111111111111'])
      expect(recorded).not.toContain(value);
    expect(queries[2].status.code).toBe(2);
  });

  it("records only Apollo gateway's planning and fetch spans; the work of the others hangs under the enclosing span", async () => {
    exporter.reset();
    // Apollo's gateway asks the API for its tracer by this name (a ProxyTracer until a provider is registered).
    const apollo = trace.getTracer('apollo/gateway-js');
    let stood: ReturnType<typeof apollo.startSpan> | undefined;
    await inSpan('HTTP POST', async (request) => {
      await apollo.startActiveSpan(
        'gateway.request',
        { attributes: { operationName: 'q' } },
        async (span) => {
          expect(span.isRecording()).toBe(false);
          expect(activeSpan()).toBe(request);
          span.setAttribute('graphql.operation.type', 'query');
          await apollo.startActiveSpan('gateway.plan', (plan) => plan.end());
          await apollo.startActiveSpan('gateway.execute', async (execute) => {
            await apollo.startActiveSpan(
              'gateway.fetch',
              { attributes: { service: 'identity' } },
              async (fetch) => {
                await inSpan('subgraph identity', async () => {});
                fetch.end();
              },
            );
            execute.end();
          });
          span.end();
        },
      );
      stood = apollo.startSpan('gateway.postprocessing');
      stood.end();
    });
    const spans = exporter.getFinishedSpans();
    const named = (name: string) => spans.find((s) => s.name === name)!;
    expect(spans.map((s) => s.name).sort()).toEqual([
      'HTTP POST',
      'gateway.fetch',
      'gateway.plan',
      'subgraph identity',
    ]);
    const requestId = named('HTTP POST').spanContext().spanId;
    expect(named('gateway.plan').parentSpanContext?.spanId).toBe(requestId);
    expect(named('gateway.fetch').parentSpanContext?.spanId).toBe(requestId);
    expect(named('gateway.fetch').attributes.service).toBe('identity');
    expect(named('subgraph identity').parentSpanContext?.spanId).toBe(
      named('gateway.fetch').spanContext().spanId,
    );
    // A span not kept, started rather than made active, still carries the enclosing span's context.
    expect(stood!.isRecording()).toBe(false);
    expect(stood!.spanContext().spanId).toBe(requestId);

    // Another library's tracer records every span.
    exporter.reset();
    await trace.getTracer('some-library').startActiveSpan('gateway.request', async (span) => span.end());
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['gateway.request']);
  });

  it('records nothing of a trace its caller did not sample, and every span of one it did', async () => {
    exporter.reset();
    const traceId = 'ab'.repeat(16);
    const unsampled = `00-${traceId}-${'cd'.repeat(8)}-00`;
    await inRemoteSpan({ traceparent: unsampled }, 'unsampled', async () => {
      expect(trace.getActiveSpan()!.isRecording()).toBe(false);
      // Nothing is made under it, not even unrecorded spans: the work runs in the caller's context, which carries
      // the trace on (the same traceparent goes out).
      await inSpan('child', async (span) => {
        expect(span).toBeUndefined();
        expect(injectTraceContext<Record<string, string>>({}).traceparent).toBe(unsampled);
      });
      expect(startSpan('later', { onlyInTrace: true })).toBeUndefined();
      expect(inRecordedTrace()).toBe(false);
      await trace.getTracer('apollo/gateway-js').startActiveSpan('gateway.fetch', async (span) => {
        expect(span.isRecording()).toBe(false);
        expect(injectTraceContext<Record<string, string>>({}).traceparent).toBe(unsampled);
        span.end();
      });
    });
    await inRemoteSpan({ traceparent: `00-${traceId}-${'cd'.repeat(8)}-01` }, 'sampled', async () => {
      expect(inRecordedTrace()).toBe(true);
      await inSpan('child', async () => {});
      await trace.getTracer('apollo/gateway-js').startActiveSpan('gateway.fetch', async (span) => span.end());
    });
    expect(exporter.getFinishedSpans().map((s) => [s.name, s.spanContext().traceId])).toEqual([
      ['child', traceId],
      ['gateway.fetch', traceId],
      ['sampled', traceId],
    ]);
  });

  it("starts a span only inside a trace judged by the parent it is given, else runs in that parent's context", async () => {
    exporter.reset();
    const traceId = 'ef'.repeat(16);
    // No active span here: the caller's trace (the parent) is what counts.
    await inRemoteSpan({ traceparent: `00-${traceId}-${'cd'.repeat(8)}-01` }, 'event', async () => {}, {
      onlyInTrace: true,
    });
    expect(exporter.getFinishedSpans().map((s) => [s.name, s.spanContext().traceId])).toEqual([
      ['event', traceId],
    ]);
    exporter.reset();
    const baggage = { baggage: 'k=v' }; // a carrier naming no trace
    await inRemoteSpan(
      baggage,
      'event',
      async () => {
        expect(trace.getActiveSpan()).toBeUndefined();
        expect(propagation.getActiveBaggage()?.getEntry('k')?.value).toBe('v');
      },
      { onlyInTrace: true },
    );
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('marks a span failed with an error code', async () => {
    exporter.reset();
    await inSpan('request', async (span) => markFailedAs(span!, 'UNAUTHENTICATED'));
    const [span] = exporter.getFinishedSpans();
    expect(span.status).toEqual({ code: 2, message: 'UNAUTHENTICATED' });
    expect(span.attributes['error.type']).toBe('UNAUTHENTICATED');
  });
});

describe('tracing stopped and started again', () => {
  it("takes a library's tracer along: no spans while stopped, the new provider's once started again", async () => {
    const settings = { enabled: true, otlpUrl: '', serviceName: 'kit-test', sampleRatio: 1 };
    const first = new InMemorySpanExporter();
    let tracing = await startTracing(settings, { exporter: first });
    // As Apollo's gateway does: one tracer for the life of the process, which keeps what it first got.
    const apollo = trace.getTracer('apollo/gateway-js');
    const fetch = () =>
      inSpan('HTTP POST', () =>
        apollo.startActiveSpan('gateway.fetch', async (span) => {
          const recording = span.isRecording();
          span.end();
          return recording;
        }),
      );
    expect(await fetch()).toBe(true);
    expect(first.getFinishedSpans().map((s) => s.name)).toEqual(['gateway.fetch', 'HTTP POST']);

    await tracing.stop();
    first.reset();
    expect(await fetch()).toBe(false);
    expect(first.getFinishedSpans()).toEqual([]);

    const second = new InMemorySpanExporter();
    tracing = await startTracing(settings, { exporter: second });
    try {
      expect(await fetch()).toBe(true);
      const spans = second.getFinishedSpans();
      expect(spans.map((s) => s.name)).toEqual(['gateway.fetch', 'HTTP POST']);
      expect(spans[0].parentSpanContext?.spanId).toBe(spans[1].spanContext().spanId);
      expect(first.getFinishedSpans()).toEqual([]);
    } finally {
      await tracing.stop();
    }
  });
});

describe('sampling', () => {
  const rootSays = (decision: SamplingDecision): Sampler => ({ shouldSample: () => ({ decision }) });
  const recorderWith = (root: SamplingDecision) =>
    new SpanRecorder({
      resource: resourceFromAttributes({ 'service.name': 'sampling-test' }),
      rootSampler: rootSays(root),
      processors: [],
    }).tracer('sampling-test');
  const startUnder = (tracer: Tracer, parent?: Parameters<typeof trace.wrapSpanContext>[0]) =>
    tracer.startSpan('span', {}, parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : ROOT_CONTEXT);
  const parent = (traceFlags: number, isRemote: boolean) => ({
    traceId: 'cd'.repeat(16),
    spanId: 'ef'.repeat(8),
    traceFlags,
    isRemote,
  });

  it("follows a parent's decision, remote or local, whatever the root sampler would say", () => {
    for (const root of [SamplingDecision.RECORD_AND_SAMPLED, SamplingDecision.NOT_RECORD])
      for (const isRemote of [true, false]) {
        const tracer = recorderWith(root);
        const sampled = startUnder(tracer, parent(TraceFlags.SAMPLED, isRemote));
        expect(sampled.isRecording()).toBe(true);
        expect(sampled.spanContext()).toMatchObject({
          traceId: 'cd'.repeat(16),
          traceFlags: TraceFlags.SAMPLED,
        });
        const unsampled = startUnder(tracer, parent(TraceFlags.NONE, isRemote));
        expect(unsampled.isRecording()).toBe(false);
        // Not recorded, but the trace goes on under the caller's id.
        expect(unsampled.spanContext()).toMatchObject({
          traceId: 'cd'.repeat(16),
          traceFlags: TraceFlags.NONE,
        });
      }
  });

  it('asks the root sampler for a new trace, and for one whose parent is invalid', () => {
    for (const root of [SamplingDecision.RECORD_AND_SAMPLED, SamplingDecision.NOT_RECORD]) {
      const tracer = recorderWith(root);
      for (const span of [startUnder(tracer), startUnder(tracer, INVALID_SPAN_CONTEXT)]) {
        expect(span.isRecording()).toBe(root === SamplingDecision.RECORD_AND_SAMPLED);
        expect(span.spanContext().traceId).toMatch(/^(?!0+$)[0-9a-f]{32}$/);
        expect(span.spanContext().traceId).not.toBe(INVALID_SPAN_CONTEXT.traceId);
      }
    }
  });
});

describe('a recorded span', () => {
  const record = () => {
    const exporter = new InMemorySpanExporter();
    const tracer = new SpanRecorder({
      resource: resourceFromAttributes({ 'service.name': 'recorder-test' }),
      processors: [new SimpleSpanProcessor(exporter)],
    }).tracer('recorder-test', '1.2.3');
    return { exporter, tracer };
  };

  it('is what exporters read: names, kinds, parent, times in order, its own copy of the attributes', () => {
    const { exporter, tracer } = record();
    const shared = { 'db.system.name': 'postgresql' };
    // The recorder's clock is the monotonic one anchored at the process's start, as the SDK's is; in a long-lived
    // process the wall clock drifts from it by milliseconds, so the bounds are read from the same clock.
    const clock = () => performance.timeOrigin + performance.now();
    const before = clock();
    const root = tracer.startSpan('parent', { kind: SpanKind.SERVER });
    const started = tracer.startSpan(
      'child',
      { kind: SpanKind.CLIENT, attributes: shared },
      trace.setSpan(ROOT_CONTEXT, root),
    );
    shared['db.system.name'] = 'changed by the caller afterwards';
    const list = ['a', 'b'];
    started.setAttribute('n', 3).setAttributes({ ok: true, list, skipped: undefined });
    list.push('pushed by the caller afterwards');
    started.setAttribute('bad', { not: 'a value' } as never);
    started.updateName('child renamed');
    started.end();
    started.setAttribute('late', 'ignored: the span has ended');
    root.end();
    const after = clock();
    const [child, parent] = exporter.getFinishedSpans();
    expect(parent).toMatchObject({
      name: 'parent',
      kind: SpanKind.SERVER,
      ended: true,
      parentSpanContext: undefined,
    });
    expect(child).toMatchObject({
      name: 'child renamed',
      kind: SpanKind.CLIENT,
      attributes: { 'db.system.name': 'postgresql', n: 3, ok: true, list: ['a', 'b'] },
      parentSpanContext: root.spanContext(),
      instrumentationScope: { name: 'recorder-test', version: '1.2.3' },
    });
    expect(Object.keys(child.attributes).sort()).toEqual(['db.system.name', 'list', 'n', 'ok']);
    expect(child.spanContext().traceId).toBe(parent.spanContext().traceId);
    expect(child.resource.attributes['service.name']).toBe('recorder-test');
    const ms = ([seconds, nanos]: [number, number]) => seconds * 1000 + nanos / 1e6;
    // Differences in whole nanoseconds: an epoch time in milliseconds as a double is only good to about 0.25 µs.
    const nanosBetween = (from: [number, number], to: [number, number]) =>
      (to[0] - from[0]) * 1e9 + (to[1] - from[1]);
    expect(Math.abs(before - Date.now())).toBeLessThan(60_000); // epoch milliseconds, not some other unit
    for (const span of [parent, child]) {
      for (const time of [span.startTime, span.endTime, span.duration]) {
        expect(Number.isInteger(time[0]) && Number.isInteger(time[1])).toBe(true);
        expect(time[1]).toBeGreaterThanOrEqual(0);
        expect(time[1]).toBeLessThan(1e9);
      }
      expect(ms(span.startTime)).toBeGreaterThanOrEqual(before - 0.001);
      expect(ms(span.endTime)).toBeLessThanOrEqual(after + 0.001);
      expect(nanosBetween(span.startTime, span.endTime)).toBeGreaterThanOrEqual(0);
      expect(
        Math.abs(nanosBetween([0, 0], span.duration) - nanosBetween(span.startTime, span.endTime)),
      ).toBeLessThanOrEqual(1);
    }
    expect(nanosBetween(parent.startTime, child.startTime)).toBeGreaterThanOrEqual(0);
  });

  it('ends once, and records an exception by its type only, never its message or stack', () => {
    const { exporter, tracer } = record();
    const span = tracer.startSpan('failing');
    span.recordException(
      Object.assign(new Error('secret typed by someone@example.com'), { name: 'RangeError' }),
    );
    span.recordException({ code: 'ECONNRESET', message: 'reset by 10.0.0.7' });
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'RangeError' });
    span.end();
    span.end();
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(1);
    expect(spans[0].events.map((event) => event.attributes)).toEqual([
      { 'exception.type': 'RangeError' },
      { 'exception.type': 'ECONNRESET' },
    ]);
    expect(JSON.stringify(spans[0])).not.toMatch(/secret|example\.com|10\.0\.0\.7/);
    expect(spans[0].status).toEqual({ code: SpanStatusCode.ERROR, message: 'RangeError' });
  });

  it('keeps at most 128 attributes and counts the rest as dropped', () => {
    const { exporter, tracer } = record();
    const span = tracer.startSpan('wide');
    for (let i = 0; i < 130; i++) span.setAttribute(`a${i}`, i);
    span.setAttribute('a0', 'replaced: not a new attribute');
    span.end();
    const [wide] = exporter.getFinishedSpans();
    expect(Object.keys(wide.attributes)).toHaveLength(128);
    expect(wide.droppedAttributesCount).toBe(2);
    expect(wide.attributes.a0).toBe('replaced: not a new attribute');
  });
});

describe("a PostgreSQL span's operation", () => {
  it("is the statement's first keyword in lower case, else 'query'", () => {
    expect(operationOf('select 1')).toBe('select');
    expect(operationOf('\n  INSERT INTO t VALUES ($1)')).toBe('insert');
    expect(operationOf('With x as (select 1) select * from x')).toBe('with');
    expect(operationOf('begin')).toBe('begin');
    expect(operationOf('')).toBe('query');
    expect(operationOf('  (select 1)')).toBe('query');
  });

  it('takes every value out of a statement for its span, and keeps its shape', () => {
    const cases: [string, string][] = [
      [
        `select "h0"."id" from "honey_jars"."member" as "h0" where "h0"."user_id" = 'dbed6f3a-1c6b' limit 20`,
        `select "h0"."id" from "honey_jars"."member" as "h0" where "h0"."user_id" = ? limit ?`,
      ],
      [
        `insert into "users" ("email", "name", "age", "score") values ('o''brien@example.com', 'Ada', 36, -1.5e3)`,
        `insert into "users" ("email", "name", "age", "score") values (?, ?, ?, -?)`,
      ],
      // Escapes, bit and hex strings, Unicode strings, dollar-quoting, arrays and JSON in strings, casts.
      [String.raw`select E'it\'s \\ ok', B'1010', X'1F', U&'d\0061t', 0x1F`, `select ?, ?, ?, ?, ?`],
      [`select $$a 'quoted' body$$, $tag$ $$ inside $tag$ || $1`, `select ?, ? || $1`],
      [`select '{"password":"hunter2"}'::jsonb, '{a,b}'::text[]`, `select ?::jsonb, ?::text[]`],
      // Identifiers with digits, quotes or dollars inside are not values; placeholders stay.
      [
        `select t1.c2, "we""ird 42", a$b from t1 where x = $12`,
        `select t1.c2, "we""ird 42", a$b from t1 where x = $12`,
      ],
      // Comments stay as they are (a quote in one opens no string); an unterminated string is a value to its end.
      [
        "/* outbox-relay */ select 1 -- the user's\nfrom t where e = 'open",
        "/* outbox-relay */ select ? -- the user's\nfrom t where e = ?",
      ],
      ['begin', 'begin'],
      ['', ''],
    ];
    for (const [text, shape] of cases) expect(sqlWithoutValues(text)).toBe(shape);
    // Truncated after the values are gone, so a cut never leaves half a value behind.
    const long = `insert into t values ${Array.from({ length: 200 }, (_, i) => `('secret-${i}')`).join(', ')}`;
    const shown = queryText(long);
    expect(shown).not.toContain('secret');
    expect(shown.length).toBe(501);
    expect(shown.endsWith('…')).toBe(true);
    // Statements already seen are shown alike, also once more have come than are kept.
    const statements = Array.from({ length: 1200 }, (_, i) => `select * from t${i} where v = 'x${i}'`);
    for (const round of [1, 2])
      for (const [i, text] of statements.entries())
        expect([round, queryText(text)]).toEqual([round, `select * from t${i} where v = ?`]);
  });
});

describe('span ids', () => {
  it('are lower-case hex of W3C length, never all zeros, and do not repeat across pool refills', () => {
    const ids = new PooledIdGenerator();
    const traceIds = Array.from({ length: 1000 }, () => ids.generateTraceId());
    const spanIds = Array.from({ length: 1000 }, () => ids.generateSpanId());
    for (const id of traceIds) expect(id).toMatch(/^(?!0+$)[0-9a-f]{32}$/);
    for (const id of spanIds) expect(id).toMatch(/^(?!0+$)[0-9a-f]{16}$/);
    expect(new Set([...traceIds, ...spanIds]).size).toBe(2000);
  });
});
