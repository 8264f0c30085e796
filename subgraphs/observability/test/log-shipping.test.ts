// Shipping log records to Loki (against a stand-in following Loki's push and query API): labels service, level
// and topology, batching, retry with backoff once Loki is back, and a bounded buffer that drops (and counts)
// while Loki is down without ever blocking the logger; records are Pollen-filtered before they leave. Pushes go
// out from one worker thread per process, which never keeps the process alive; without it, from the main thread.
import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { spawn } from 'node:child_process';
import {
  BatchSender,
  LogTap,
  PermanentBatchError,
  createLogger,
  lokiPushRequest,
  startLogShipping,
  type LogEntry,
  type LogShipping,
} from '@sting/kit';
import { LokiPushThread, lokiPushThread } from '@sting/kit/logging/loki-push-thread.ts';
import { LokiRecords } from '@sting/kit/logging/loki-records.ts';
import { waitFor } from '@sting/kit/testing';
import {
  decodePushRequest,
  startStandInLoki,
  unsnappy,
  type StandInLoki,
} from '../../../tests/standins/loki.ts';

const quiet = { write: () => undefined };

describe('log shipping to Loki', () => {
  let loki: StandInLoki;
  let tap: LogTap;
  let shipping: LogShipping | undefined;
  beforeEach(async () => {
    loki = await startStandInLoki();
    tap = new LogTap();
  });
  afterEach(async () => {
    await shipping?.stop();
    shipping = undefined;
    await loki.close();
  });

  const ship = (loki: {
    url: string;
    batchSize?: number;
    flushIntervalMs?: number;
    maxBufferRecords?: number;
  }) =>
    (shipping = startLogShipping({
      loki,
      topology: 'embedded',
      service: 'gateway',
      storedInProcess: true,
      tap,
    }));
  const logger = (name: string) => createLogger({ name, level: 'debug', destination: quiet, tap });

  it('pushes filtered records labelled with service, level and topology', async () => {
    ship({ url: loki.url, flushIntervalMs: 20 });
    const log = logger('gateway');
    log.info({ user: 'ada@example.com' }, 'signed in ada@example.com');
    log.child({ subgraph: 'identity' }).error('token check failed for card 4111 1111 1111 1111');
    await waitFor(() => loki.entries.length === 2);
    const labels = loki.entries.map((e) => e.labels).sort((a, b) => a.service.localeCompare(b.service));
    expect(labels).toEqual([
      { service: 'gateway', level: 'info', topology: 'embedded' },
      { service: 'identity', level: 'error', topology: 'embedded' },
    ]);
    const shipped = loki.entries.map((e) => e.line).join('\n');
    expect(shipped).not.toContain('ada@example.com');
    expect(shipped).not.toContain('4111 1111 1111 1111');
    expect(shipped).toContain('signed in');
    // Nanosecond timestamps close to now.
    const ms = Number(loki.entries[0].ns / 1_000_000n);
    expect(Math.abs(ms - Date.now())).toBeLessThan(10_000);
  });

  it('sends a full batch at once and the rest after the flush interval, several records per push', async () => {
    ship({ url: loki.url, batchSize: 50, flushIntervalMs: 60_000 });
    const log = logger('knowledge');
    for (let i = 0; i < 70; i++) log.info({ i }, 'chunk stored');
    await waitFor(() => shipping!.stats()!.sent === 50);
    expect(loki.entries).toHaveLength(50);
    expect(loki.pushes).toBe(1);
    expect(loki.userAgent).toBe('STING-Loki-Push/1');
    expect(shipping!.stats()).toMatchObject({ backlog: 20, sent: 50, dropped: 0 });
    await shipping!.flush();
    expect(loki.entries).toHaveLength(70);
    expect(loki.pushes).toBe(2);
    // In order within the stream, every record once.
    expect(loki.entries.map((e) => (JSON.parse(e.line) as { i: number }).i)).toEqual([...Array(70).keys()]);
  });

  it('catches up with larger pushes (up to ten batches) when more than two batches are waiting', async () => {
    ship({ url: loki.url, batchSize: 10, flushIntervalMs: 60_000 });
    const log = logger('knowledge');
    for (let i = 0; i < 250; i++) log.info({ i }, 'chunk stored');
    await shipping!.flush();
    expect(loki.entries.map((e) => (JSON.parse(e.line) as { i: number }).i)).toEqual([...Array(250).keys()]);
    // 100, 100 and 50 rather than 25 pushes of 10.
    expect(loki.pushes).toBeLessThanOrEqual(3);
  });

  it('keeps records while Loki is down and pushes them once it is back (backoff between tries)', async () => {
    ship({ url: loki.url, batchSize: 10, flushIntervalMs: 20 });
    loki.down = true;
    const log = logger('chat');
    for (let i = 0; i < 25; i++) log.warn({ i }, 'answer slow');
    await waitFor(() => loki.refused >= 2);
    const refusedSoon = loki.refused;
    await new Promise((r) => setTimeout(r, 300));
    // Backing off: a handful of tries, not one per flush interval.
    expect(loki.refused - refusedSoon).toBeLessThan(6);
    expect(shipping!.stats()).toMatchObject({ backlog: 25, sent: 0, dropped: 0 });
    expect(shipping!.stats()!.lastError).toContain('503');
    loki.down = false;
    await waitFor(() => shipping!.stats()!.sent === 25, { timeoutMs: 15_000 });
    expect(loki.entries).toHaveLength(25);
    expect(shipping!.stats()).toMatchObject({ backlog: 0, sent: 25, dropped: 0, consecutiveFailures: 0 });
  });

  it('never holds more than the buffer while Loki is down: logging returns at once, drops are counted', async () => {
    ship({ url: loki.url, batchSize: 100, flushIntervalMs: 10, maxBufferRecords: 200 });
    loki.down = true;
    const log = logger('honey-jars');
    const started = performance.now();
    for (let i = 0; i < 5000; i++) log.info({ i }, 'jar listed');
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(5000);
    const stats = shipping!.stats()!;
    expect(stats.backlog).toBe(200);
    expect(stats.dropped).toBe(4800);
    loki.down = false;
    await waitFor(() => loki.entries.length === 200, { timeoutMs: 15_000 });
    // The oldest records were kept; what came after the buffer filled was dropped.
    expect((JSON.parse(loki.entries[0].line) as { i: number }).i).toBe(0);
    expect(shipping!.stats()!.dropped).toBe(4800);
  });

  it('drops (and counts) a batch Loki refuses as malformed instead of retrying it forever', async () => {
    const sender = new BatchSender<LogEntry>({
      send: async (batch) => {
        const response = await fetch(`${loki.url}/loki/api/v1/push`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ streams: [{ stream: {}, values: batch.map(() => ['not-a-time', 'x']) }] }),
        });
        if (response.status === 400) throw new PermanentBatchError('400');
      },
      batchSize: 5,
      flushIntervalMs: 10,
      maxBuffer: 100,
    });
    for (let i = 0; i < 5; i++)
      sender.offer({ at: Date.now(), level: 'info', service: 's', msg: '', line: '{}' });
    await waitFor(() => sender.stats().dropped === 5);
    expect(sender.stats().backlog).toBe(0);
    await sender.stop();
  });

  it('pushes from one worker thread: labels, lines intact, timestamps strictly increasing', async () => {
    ship({ url: loki.url, batchSize: 40, flushIntervalMs: 60_000 });
    const services = ['gateway', 'identity', 'knowledge'];
    const levels = ['info', 'warn', 'error'] as const;
    const log = logger('gateway');
    for (let i = 0; i < 300; i++) {
      const level = levels[Math.floor(i / 7) % 3];
      log.child({ subgraph: services[i % 3] })[level]({ i }, `line ${i}: "quoted"\n\tnext ✓ 🐝 \u2028`);
    }
    await shipping!.flush();
    expect(lokiPushThread.state).toBe('running');
    expect(shipping!.stats()).toMatchObject({ backlog: 0, sent: 300, dropped: 0 });
    const byRecord = loki.entries
      .map((e) => ({ ...e, record: JSON.parse(e.line) as { i: number; msg: string; subgraph: string } }))
      .sort((a, b) => a.record.i - b.record.i);
    expect(byRecord.map((e) => e.record.i)).toEqual([...Array(300).keys()]);
    for (const { labels, record } of byRecord) {
      expect(labels).toEqual({
        service: services[record.i % 3],
        level: levels[Math.floor(record.i / 7) % 3],
        topology: 'embedded',
      });
      expect(record.msg).toBe(`line ${record.i}: "quoted"\n\tnext ✓ 🐝 \u2028`);
      expect(record.subgraph).toBe(services[record.i % 3]);
    }
    // In the order the records were logged, whatever their stream and batch.
    for (let k = 1; k < byRecord.length; k++) expect(byRecord[k].ns).toBeGreaterThan(byRecord[k - 1].ns);
  });

  it('drops a batch Loki refuses with a 400; retries one answered 500 or 429 until Loki takes it', async () => {
    ship({ url: loki.url, batchSize: 5, flushIntervalMs: 60_000 });
    const log = logger('chat');
    loki.pushStatus = 400;
    for (let i = 0; i < 5; i++) log.info({ i }, 'refused');
    await waitFor(() => shipping!.stats()!.dropped === 5);
    expect(shipping!.stats()).toMatchObject({ backlog: 0, sent: 0, consecutiveFailures: 0 });
    expect(shipping!.stats()!.lastError).toContain('400');
    expect(loki.refused).toBe(1);
    loki.pushStatus = 500;
    for (let i = 0; i < 5; i++) log.info({ i }, 'kept');
    for (const status of [500, 429]) {
      loki.pushStatus = status;
      const refused = loki.refused;
      await shipping!.flush();
      expect(loki.refused).toBeGreaterThan(refused);
      expect(shipping!.stats()).toMatchObject({ backlog: 5, sent: 0, dropped: 5 });
      expect(shipping!.stats()!.lastError).toContain(String(status));
    }
    loki.pushStatus = null;
    await shipping!.flush();
    expect(shipping!.stats()).toMatchObject({ backlog: 0, sent: 5, dropped: 5, consecutiveFailures: 0 });
    expect(loki.entries.map((e) => (JSON.parse(e.line) as { msg: string }).msg)).toEqual(
      Array(5).fill('kept'),
    );
  });

  it('ends the push thread on stop() (a later shipping starts another)', async () => {
    const first = ship({ url: loki.url, flushIntervalMs: 60_000 });
    logger('gateway').info('one');
    await first.flush();
    expect(lokiPushThread.state).toBe('running');
    await first.stop();
    expect(lokiPushThread.state).toBe('none');
    ship({ url: loki.url, flushIntervalMs: 60_000 });
    logger('gateway').info('two');
    await shipping!.flush();
    expect(lokiPushThread.state).toBe('running');
    expect(loki.entries.map((e) => (JSON.parse(e.line) as { msg: string }).msg)).toEqual(['one', 'two']);
    expect(loki.entries[1].ns).toBeGreaterThan(loki.entries[0].ns);
  });

  it('never keeps the process alive: it exits once done, whether shipping was stopped or not', async () => {
    const module = (file: string) =>
      JSON.stringify(new URL(`../../../packages/kit/src/logging/${file}`, import.meta.url).href);
    const run = (stop: boolean) =>
      new Promise<{ code: number | null; out: string }>((resolve, reject) => {
        const script = `
          const { startLogShipping } = await import(${module('log-shipping.ts')});
          const { LogTap } = await import(${module('log-tap.ts')});
          const { lokiPushThread } = await import(${module('loki-push-thread.ts')});
          const tap = new LogTap();
          const shipping = startLogShipping({ loki: { url: ${JSON.stringify(loki.url)} }, topology: 'embedded',
            service: 'gateway', storedInProcess: true, tap });
          tap.offer({ level: 'info', name: 'gateway', msg: 'bye' }, '{"msg":"bye"}');
          await shipping.flush();
          const before = lokiPushThread.state;
          if (${stop}) await shipping.stop();
          process.stdout.write(before + ' ' + lokiPushThread.state);`;
        const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        const timer = setTimeout(() => reject(new Error(`still running: ${out}`)), 15_000);
        child.on('exit', (code) => {
          clearTimeout(timer);
          resolve({ code, out });
        });
      });
    expect(await run(true)).toEqual({ code: 0, out: 'running none' });
    expect(await run(false)).toEqual({ code: 0, out: 'running running' });
    expect(loki.entries).toHaveLength(2);
  });

  it('pushes from the calling thread when the push thread cannot start', async () => {
    const entry = (i: number): LogEntry => ({
      at: Date.now(),
      level: 'info',
      service: 'gateway',
      msg: '',
      line: `{"i":${i}}`,
    });
    // Refused at once (no such scheme), and failing as it loads (no such module).
    for (const url of [
      new URL('http://example.com/worker.ts'),
      new URL('./no-such-worker.ts', import.meta.url),
    ]) {
      const thread = new LokiPushThread(url);
      await thread.push(loki.url, () => lokiPushRequest([entry(0), entry(1)], 'embedded'));
      expect(thread.state).toBe('main-thread');
      await thread.push(loki.url, () => lokiPushRequest([entry(2)], 'embedded'));
      loki.pushStatus = 400;
      await expect(
        thread.push(loki.url, () => lokiPushRequest([entry(3)], 'embedded')),
      ).rejects.toBeInstanceOf(PermanentBatchError);
      loki.pushStatus = 500;
      await expect(
        thread.push(loki.url, () => lokiPushRequest([entry(3)], 'embedded')),
      ).rejects.not.toBeInstanceOf(PermanentBatchError);
      loki.pushStatus = null;
    }
    expect(loki.entries.map((e) => (JSON.parse(e.line) as { i: number }).i)).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('groups a batch into one stream per service and level, every record at its own nanosecond', () => {
    const t = Date.now() + 3_600_000;
    const ns = (ms: number, plus = 0) => String(BigInt(ms) * 1_000_000n + BigInt(plus));
    const entry = (service: string, level: string, at: number): LogEntry => ({
      at,
      level,
      service,
      msg: '',
      line: `{"s":"${service}"}`,
    });
    const streams = decodePushRequest(
      Buffer.from(
        lokiPushRequest(
          [entry('a', 'info', t), entry('b', 'info', t), entry('a', 'info', t + 1), entry('a', 'warn', t)],
          'distributed',
        ),
      ),
    );
    expect(streams).toEqual([
      {
        stream: { service: 'a', level: 'info', topology: 'distributed' },
        values: [
          [ns(t), '{"s":"a"}'],
          [ns(t + 1), '{"s":"a"}'],
        ],
      },
      { stream: { service: 'b', level: 'info', topology: 'distributed' }, values: [[ns(t, 1), '{"s":"b"}']] },
      // Never earlier than a record already shipped by this process.
      {
        stream: { service: 'a', level: 'warn', topology: 'distributed' },
        values: [[ns(t + 1, 1), '{"s":"a"}']],
      },
    ]);
  });

  it("writes Loki's protobuf push exactly: any line length, any characters, labels quoted, in snappy framing", () => {
    const t = Date.now() + 7_200_000;
    // Lengths around every varint and snappy literal boundary, multi-byte characters, quotes and a NUL byte.
    const lines = [0, 1, 59, 60, 61, 127, 128, 255, 256, 16_383, 16_384, 70_000].map(
      (n, i) => `{"i":${i},"s":"${'x'.repeat(n)}"}`,
    );
    lines.push('{"msg":"Grüße, 東京 🐝 \\"quoted\\" \u0000 a NUL byte"}');
    const entries = lines.map((line, i) => ({
      at: t,
      level: 'info',
      service: i % 2 ? 'chat "odd"' : 'chat\\even',
      msg: '',
      line,
    }));
    const body = Buffer.from(lokiPushRequest(entries, 'embedded'));
    // One literal after the length: the bytes after the header are the request itself.
    const request = unsnappy(body);
    expect(body.subarray(body.length - request.length).equals(request)).toBe(true);
    const streams = decodePushRequest(body);
    expect(streams.map((s) => s.stream)).toEqual([
      { service: 'chat\\even', level: 'info', topology: 'embedded' },
      { service: 'chat "odd"', level: 'info', topology: 'embedded' },
    ]);
    const received = streams.flatMap((s) => s.values).sort((a, b) => (BigInt(a[0]) < BigInt(b[0]) ? -1 : 1));
    expect(received.map(([, line]) => line)).toEqual(lines);
    const ns = received.map(([n]) => BigInt(n));
    for (let i = 1; i < ns.length; i++) expect(ns[i]).toBe(ns[i - 1] + 1n);
  });

  it("the stand-in reads snappy copies as well as literals, and refuses a body that is not Loki's push", async () => {
    // "abcabcabcabc": a literal of 3, then a copy of 9 from offset 3 (tag type 1: length 4-11, offset < 2048).
    expect(unsnappy(Buffer.from([12, 2 << 2, 97, 98, 99, ((9 - 4) << 2) | 1, 3])).toString()).toBe(
      'abcabcabcabc',
    );
    // The same with a 2-byte offset (tag type 2).
    expect(unsnappy(Buffer.from([12, 2 << 2, 97, 98, 99, ((9 - 1) << 2) | 2, 3, 0])).toString()).toBe(
      'abcabcabcabc',
    );
    expect(() => unsnappy(Buffer.from([12, 2 << 2, 97, 98, 99, ((9 - 4) << 2) | 1, 4]))).toThrow();
    for (const [type, body] of [
      ['application/x-protobuf', Buffer.from('{"streams":[]}')],
      [
        'application/json',
        Buffer.from(lokiPushRequest([{ at: 1, level: 'info', service: 's', msg: '', line: '{}' }], 'e')),
      ],
    ] as const) {
      const response = await fetch(`${loki.url}/loki/api/v1/push`, {
        method: 'POST',
        headers: { 'content-type': type },
        body,
      });
      expect(response.status).toBe(400);
    }
    expect(loki.entries).toEqual([]);
  });

  it('holds records encoded as they are logged: any window of them, across slabs and streams, pushed alike every time', () => {
    const t = Date.now() + 10_800_000;
    const records = new LokiRecords('distributed', 400);
    const sent: { service: string; line: string }[] = [];
    // Lines of up to 300,000 characters fill several 256 KB slabs; services alternate in runs of varying length.
    for (let i = 0; i < 300; i++) {
      const service = i % 7 < 4 ? 'gateway' : 'chat';
      const line = `{"i":${i},"pad":"${'y'.repeat(i % 50 === 0 ? 300_000 : (i * 37) % 900)}"}`;
      expect(records.add({ at: t + Math.floor(i / 3), level: 'info', service, msg: '', line })).toBe(i);
      sent.push({ service, line });
    }
    // One taken back (a refused offer) and its number given to the next.
    records.discardLast();
    expect(records.add({ at: t + 100, level: 'warn', service: 'chat', msg: '', line: '{"i":299}' })).toBe(
      299,
    );
    sent[299] = { service: 'chat', line: '{"i":299}' };
    const window = (first: number, count: number) =>
      decodePushRequest(Buffer.from(records.request(first, count)))
        .flatMap((stream) =>
          stream.values.map(([ns, line]) => ({ ns: BigInt(ns), service: stream.stream.service, line })),
        )
        .sort((a, b) => (a.ns < b.ns ? -1 : 1));
    for (const [first, count] of [
      [0, 300],
      [0, 1],
      [49, 3],
      [120, 97],
    ]) {
      const got = window(first, count);
      expect(got.map(({ service, line }) => ({ service, line }))).toEqual(sent.slice(first, first + count));
      // The same bytes again: a retried push carries the same instants, so Loki keeps no duplicate.
      expect(
        Buffer.from(records.request(first, count)).equals(Buffer.from(records.request(first, count))),
      ).toBe(true);
    }
    const all = window(0, 300).map((r) => r.ns);
    for (let i = 1; i < all.length; i++) expect(all[i]).toBeGreaterThan(all[i - 1]);
    // Released records are gone; the rest are still whole, and the freed room is written again.
    records.release(150);
    expect(records.size).toBe(150);
    expect(() => records.request(100, 60)).toThrow(RangeError);
    expect(window(150, 150).map((r) => r.line)).toEqual(sent.slice(150).map((r) => r.line));
    records.release(300);
    expect(records.size).toBe(0);
    expect(
      records.add({ at: t + 200, level: 'info', service: 'gateway', msg: '', line: '{"after":true}' }),
    ).toBe(300);
    expect(window(300, 1).map((r) => r.line)).toEqual(['{"after":true}']);
  });

  it('holds no more records than asked, and the shipping takes back one its sender refused', async () => {
    const records = new LokiRecords('embedded', 2);
    const entry = (i: number) => ({
      at: Date.now(),
      level: 'info',
      service: 's',
      msg: '',
      line: `{"i":${i}}`,
    });
    expect([records.add(entry(0)), records.add(entry(1)), records.add(entry(2))]).toEqual([0, 1, -1]);
    loki.down = true;
    const log = logger('chat');
    ship({ url: loki.url, batchSize: 2, flushIntervalMs: 10, maxBufferRecords: 3 });
    for (let i = 0; i < 6; i++) log.info({ i }, 'held or dropped');
    expect(shipping!.stats()).toMatchObject({ backlog: 3, dropped: 3 });
    loki.down = false;
    await waitFor(() => loki.entries.length === 3);
    expect(loki.entries.map((e) => (JSON.parse(e.line) as { i: number }).i)).toEqual([0, 1, 2]);
  });
});
