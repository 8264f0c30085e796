// The process's tracing: off, nothing is added anywhere (no SDK, no fields, no headers); on, log records carry the
// active span's ids (through the real Pollen Filter), events carry traceparent, a bus consumer continues the
// publisher's trace, and PostgreSQL queries inside a trace get spans of their own without their parameters.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import pg from 'pg';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { createLogger } from '../src/logging/logger.ts';
import { createEvent } from '../src/bus/envelope.ts';
import { EventTypes } from '../src/bus/topics.ts';
import { InProcessEventBus } from '../src/bus/in-process-bus.ts';
import { followTopic } from '../src/bus/follow.ts';
import {
  inSpan,
  injectTraceContext,
  otlpTracesUrl,
  startTracing,
  traceFields,
  tracingEnabled,
  type Tracing,
} from '../src/tracing/index.ts';

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

  it('gives PostgreSQL queries inside a trace a span with the statement and without its parameters', async () => {
    exporter.reset();
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      await client.query('select 1 as outside');
      await inSpan('request', async () => {
        await client.query('select $1::text as secret', ['value-that-stays-out']);
        await expect(client.query('select * from no_such_table')).rejects.toThrow();
      });
    } finally {
      await client.end();
    }
    const queries = exporter.getFinishedSpans().filter((s) => s.name.startsWith('pg '));
    expect(queries.map((s) => s.attributes['db.query.text'])).toEqual([
      'select $1::text as secret',
      'select * from no_such_table',
    ]);
    expect(JSON.stringify(queries.map((s) => s.attributes))).not.toContain('value-that-stays-out');
    expect(queries[1].status.code).toBe(2);
  });
});
