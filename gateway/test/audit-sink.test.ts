// The gateway's batching audit sink: batches by size and time in order, one in flight, retries while identity is
// down, drops only what identity refuses or what overflows its bound, hands on what it holds when closed, and logs
// every record. The appender is a function recording what it was sent, as identity would receive it.
import { describe, it, expect } from '@jest/globals';
import { Writable } from 'node:stream';
import pino from 'pino';
import { waitFor } from '@sting/kit/testing';
import { BatchingAuditSink } from '../src/audit/batching-sink.ts';
import { AuditAppendRefused, toAuditEventInput, type AuditEventInput } from '../src/audit/identity-append.ts';
import type { AuditRecord } from '../src/pipeline/audit.ts';

const silent = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function record(n: number, overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    actor: 'user:u1',
    actorId: '6f1c2f8e-3a55-4a39-9d5e-2f0c1b7f9a01',
    action: `mutation step${n}`,
    outcome: 'success',
    requestId: `r-${n}`,
    clientAddress: '192.0.2.1',
    via: 'graphql',
    ...overrides,
  };
}

/** An identity that takes batches (after `failFirst` failures), one at a time, and remembers them. */
function identity(failFirst = 0) {
  const batches: AuditEventInput[][] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let failures = failFirst;
  const append = async (events: AuditEventInput[]) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, 5));
    inFlight--;
    if (failures-- > 0) throw new Error('identity is down');
    batches.push(events);
  };
  return {
    append,
    batches,
    get maxInFlight() {
      return maxInFlight;
    },
    actions: () => batches.flat().map((e) => e.action),
  };
}

describe('batching audit sink', () => {
  it('sends a few records after the interval and a full batch at once, in order, one batch in flight', async () => {
    const target = identity();
    const sink = new BatchingAuditSink(target.append, silent, { batchSize: 10, flushIntervalMs: 200 });
    for (let i = 0; i < 3; i++) sink.record(record(i));
    await sleep(50);
    expect(target.batches).toEqual([]);
    await waitFor(() => target.actions().length === 3, { timeoutMs: 1000 });
    for (let i = 3; i < 28; i++) sink.record(record(i));
    await waitFor(() => target.actions().length === 28, { timeoutMs: 150 });
    expect(target.actions()).toEqual(Array.from({ length: 28 }, (_, i) => `mutation step${i}`));
    expect(target.batches.map((b) => b.length)).toEqual([3, 10, 10, 5]);
    expect(target.maxInFlight).toBe(1);
    await sink.close();
  });

  it('retries while identity is down, keeping the order', async () => {
    const target = identity(2);
    const sink = new BatchingAuditSink(target.append, silent, { flushIntervalMs: 10, retryDelayMs: 10 });
    for (let i = 0; i < 3; i++) sink.record(record(i));
    await waitFor(() => target.actions().length === 3, { timeoutMs: 2000 });
    expect(target.actions()).toEqual(['mutation step0', 'mutation step1', 'mutation step2']);
    await sink.close();
  });

  it('drops a batch identity refuses and goes on with the next', async () => {
    const sent: string[] = [];
    const append = async (events: AuditEventInput[]) => {
      if (events.some((e) => e.action === 'mutation step1')) throw new AuditAppendRefused('bad input');
      sent.push(...events.map((e) => e.action));
    };
    const sink = new BatchingAuditSink(append, silent, { batchSize: 1, flushIntervalMs: 10 });
    for (let i = 0; i < 3; i++) sink.record(record(i));
    await sink.close();
    expect(sent).toEqual(['mutation step0', 'mutation step2']);
  });

  it('holds at most its bound while identity is down, and hands on what it holds when closed', async () => {
    let up = false;
    const sent: string[] = [];
    const append = async (events: AuditEventInput[]) => {
      if (!up) throw new Error('identity is down');
      sent.push(...events.map((e) => e.action));
    };
    const sink = new BatchingAuditSink(append, silent, {
      maxBuffered: 5,
      flushIntervalMs: 10,
      retryDelayMs: 60_000,
    });
    for (let i = 0; i < 8; i++) sink.record(record(i));
    expect(sink.pending).toBe(5);
    await sleep(50);
    expect(sent).toEqual([]);
    up = true;
    await sink.close();
    expect(sent).toEqual([0, 1, 2, 3, 4].map((i) => `mutation step${i}`));
  });

  it('logs every record through the logger', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const sink = new BatchingAuditSink(identity().append, logger, { flushIntervalMs: 10 });
    sink.record(record(1));
    await sink.close();
    expect(
      lines.some((l) => l.includes('"action":"mutation step1"') && l.includes('"component":"audit"')),
    ).toBe(true);
  });
});

describe('records as identity takes them', () => {
  it('names the actor type, the API key, the target and the outcome', () => {
    const keyed = toAuditEventInput(
      record(1, { actor: 'api_key:k', apiKeyId: 'k', target: 'id=j1', outcome: 'denied', code: 'FORBIDDEN' }),
    );
    expect(keyed).toMatchObject({
      actorType: 'API_KEY',
      apiKeyId: 'k',
      targetType: 'id',
      targetId: 'j1',
      outcome: 'DENIED',
      requestId: 'r-1',
      clientAddress: '192.0.2.1',
    });
    expect(JSON.parse(keyed.details!)).toEqual({ via: 'graphql', code: 'FORBIDDEN', target: 'id=j1' });
    expect(
      toAuditEventInput(record(2, { actor: 'anonymous', actorId: undefined, target: '/api/x' })),
    ).toMatchObject({ actorType: 'ANONYMOUS', targetType: 'path', targetId: '/api/x' });
    expect(toAuditEventInput(record(3, { target: 'document:d1', outcome: 'failure' }))).toMatchObject({
      actorType: 'USER',
      targetType: 'document',
      targetId: 'd1',
      outcome: 'FAILURE',
    });
    expect(toAuditEventInput(record(4, { actor: 'system', actorId: undefined }))).toMatchObject({
      actorType: 'SYSTEM',
    });
  });
});
