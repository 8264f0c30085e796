// The embedded log store on real PostgreSQL: records from this process (the log tap) and from other processes
// (batches on the bus) are stored in day partitions, searched by administrators by service, level, time and text,
// newest first with cursor paging; nothing unfiltered is stored; retention drops whole days. With Loki configured
// the same query is answered from Loki (a stand-in) through LogQL.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import {
  EventTypes,
  Topics,
  createEvent,
  LogTap,
  RedisEventBus,
  createLogger,
  processLogShipping,
  startLogShipping,
  createSubgraphRuntime,
  type LogRecordsBatch,
  type SubgraphRuntime,
} from '@sting/kit';
import { waitFor } from '@sting/kit/testing';
import { logIngestionOf, startLogIngestion } from '../src/domain/logs/ingest.ts';
import { maintainLogStore } from '../src/domain/logs/retention.ts';
import { listDayPartitions, logTables } from '../src/domain/logs/tables.ts';
import { logqlFor } from '../src/domain/logs/loki-search.ts';
import { startStandInLoki, type StandInLoki } from '../../../tests/standins/loki.ts';
import { subgraph } from '../src/index.ts';
import { buildViewer, redisUrl, startObservability, type ObservabilityHarness } from './harness.ts';

const LOGS = `query Logs($filter: LogFilter, $first: Int, $after: String) {
  logs(filter: $filter, first: $first, after: $after) {
    nodes { id at service level message record }
    pageInfo { hasNextPage endCursor }
  }
}`;

const admin = buildViewer('ADMIN');
/** A cursor as a client could write one by hand: the store's shape around any values. */
const forgedCursor = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString('base64url');
const quiet = { write: () => undefined };

interface LogsPage {
  logs: {
    nodes: { id: string; at: string; service: string; level: string; message: string; record: string }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

describe('the embedded log store', () => {
  let obs: ObservabilityHarness;
  const marker = `m${randomUUID().slice(0, 8)}`;
  beforeAll(async () => {
    obs = await startObservability({ config: { topology: 'embedded', logs: { retentionDays: 7 } } });
    await startLogIngestion(obs.runtime);
    const log = createLogger({ name: 'gateway', level: 'debug', destination: quiet });
    for (let i = 0; i < 30; i++) log.info({ i, marker }, `request served ${i}`);
    log.child({ subgraph: 'identity' }).warn({ marker }, `sign-in refused for ada@example.com ${marker}-pii`);
    log.child({ subgraph: 'chat' }).error({ marker, err: new Error('model timed out') }, 'answer failed');
    // Another process's batch, as its shipping publishes it on the bus.
    await obs.runtime.bus.publish(
      Topics.observability.logRecords,
      createEvent<LogRecordsBatch>(
        EventTypes.logRecords,
        {
          service: 'knowledge-worker',
          entries: [
            {
              at: Date.now(),
              level: 'info',
              service: 'knowledge-worker',
              msg: 'chunk embedded',
              line: JSON.stringify({
                level: 'info',
                msg: 'chunk embedded',
                marker,
                name: 'knowledge-worker',
              }),
            },
            { nonsense: true } as never,
          ],
        },
        { source: 'knowledge-worker' },
      ),
    );
    await waitFor(async () => {
      await logIngestionOf(obs.runtime)!.flush();
      const [row] = await obs
        .em()
        .execute<{ n: string }[]>(
          `select count(*) as n from ${logTables(obs.em()).records} where record->>'marker' = ?`,
          [marker],
        );
      return Number(row.n) === 33;
    });
  });
  afterAll(async () => {
    await obs?.close();
  });

  const search = async (filter: Record<string, unknown>, first = 50, after?: string) => {
    const result = await obs.run<LogsPage>(admin, LOGS, {
      filter: { text: marker, ...filter },
      first,
      after,
    });
    expect(result.errors).toBeUndefined();
    return result.data!.logs;
  };

  it('stores records from this process and from other processes, filtered, in day partitions', async () => {
    const all = await search({});
    expect(all.nodes.map((n) => n.service).sort()).toEqual(
      expect.arrayContaining(['chat', 'gateway', 'identity', 'knowledge-worker']),
    );
    expect(all.nodes).toHaveLength(33);
    const stored = await obs
      .em()
      .execute<{ record: unknown }[]>(`select record from ${logTables(obs.em()).records}`);
    const text = JSON.stringify(stored);
    expect(text).toContain(`${marker}-pii`);
    expect(text).not.toContain('ada@example.com');
    const partitions = await listDayPartitions(obs.em());
    expect(partitions.map((p) => p.day.toISOString().slice(0, 10))).toContain(
      new Date().toISOString().slice(0, 10),
    );
  });

  it('searches by service, level and text, newest first, one page at a time', async () => {
    const errors = await search({ level: 'ERROR' });
    expect(errors.nodes).toHaveLength(1);
    expect(errors.nodes[0]).toMatchObject({ service: 'chat', level: 'ERROR', message: 'answer failed' });
    expect(JSON.parse(errors.nodes[0].record)).toMatchObject({ err: { message: 'model timed out' } });
    const identity = await search({ service: 'identity' });
    expect(identity.nodes.map((n) => n.level)).toEqual(['WARN']);
    const byText = await search({ text: 'REQUEST SERVED 13' });
    expect(byText.nodes.map((n) => n.message)).toEqual(['request served 13']);

    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const page = await search({ service: 'gateway' }, 7, after);
      seen.push(...page.nodes.map((n) => n.message));
      pages++;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor!;
    }
    expect(pages).toBe(5);
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
    // Newest first: logged in order 0..29, so the first page starts with the last one.
    expect(seen[0]).toBe('request served 29');
    expect(seen.at(-1)).toBe('request served 0');
  });

  it('bounds the search by time (since inclusive, until exclusive)', async () => {
    const future = await search({ since: new Date(Date.now() + 60_000).toISOString() });
    expect(future.nodes).toHaveLength(0);
    const past = await search({ until: new Date(Date.now() - 3_600_000).toISOString() });
    expect(past.nodes).toHaveLength(0);
    const recent = await search({ since: new Date(Date.now() - 3_600_000).toISOString() });
    expect(recent.nodes).toHaveLength(33);
  });

  it('is for administrators only', async () => {
    const member = await obs.run(buildViewer('MEMBER'), LOGS, {});
    expect(member.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const anonymous = await obs.run(null, LOGS, {});
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it.each([
    [{ first: 0 }, 'first'],
    [{ first: 501 }, 'first'],
    [{ after: 'not-a-cursor' }, 'after'],
    // Forged: an id of 19 digits past PostgreSQL's bigint, and a time past the years the platform keeps.
    [{ after: forgedCursor(['s', '2026-12-07T00:00:00Z', '9999999999999999999']) }, 'after'],
    [{ after: forgedCursor(['s', '2026-12-07T00:00:00Z', '9223372036854775808']) }, 'after'],
    [{ after: forgedCursor(['s', '+275760-09-13T00:00:00Z', '1']) }, 'after'],
    [{ after: forgedCursor(['s', '1', '1']) }, 'after'],
    [{ filter: { since: '2026-01-02T00:00:00Z', until: '2026-01-01T00:00:00Z' } }, 'since'],
    [{ filter: { text: '' } }, 'text'],
    [{ filter: { service: 'bad name;' } }, 'service'],
  ])('refuses bad input %j naming the field', async (variables, field) => {
    const { errors, data } = await obs.run(admin, LOGS, variables);
    expect(data).toBeNull();
    expect(errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('drops days past the retention whole, keeping today', async () => {
    const em = obs.em();
    const { records } = logTables(em);
    const old = new Date(Date.now() - 10 * 86_400_000);
    const { ensureDayPartition } = await import('../src/domain/logs/tables.ts');
    await ensureDayPartition(em, old);
    await em.execute(
      `insert into ${records} (at, service, level, msg, record) values (?, 'gateway', 'info', 'old', '{}')`,
      [old],
    );
    const done = await maintainLogStore(em, 7);
    expect(done.dropped).toContain(old.toISOString().slice(0, 10));
    const [{ n }] = await em.execute<{ n: string }[]>(
      `select count(*) as n from ${records} where msg = 'old'`,
    );
    expect(Number(n)).toBe(0);
    expect((await search({})).nodes).toHaveLength(33);
  });
});

describe('the log search with Loki configured', () => {
  let obs: ObservabilityHarness;
  let loki: StandInLoki;
  beforeAll(async () => {
    loki = await startStandInLoki();
    obs = await startObservability({ config: { topology: 'distributed', loki: { url: loki.url } } });
    await startLogIngestion(obs.runtime);
  });
  afterAll(async () => {
    await obs?.close();
    await loki?.close();
  });

  it('translates the filter to LogQL with escaped literals', () => {
    expect(logqlFor({ service: 'chat', level: 'error', text: 'say "hi" \\ now' }, 'embedded')).toBe(
      '{topology="embedded",service="chat",level="error"} |= "say \\"hi\\" \\\\ now"',
    );
    expect(logqlFor({ service: null, level: null, text: null }, 'distributed')).toBe(
      '{topology="distributed"}',
    );
  });

  it('answers from Loki: shipped records searched by labels and text, newest first with paging', async () => {
    const shipping = startLogShipping({
      loki: { url: loki.url, flushIntervalMs: 10 },
      topology: 'distributed',
      service: 'gateway',
      storedInProcess: true,
    });
    try {
      const log = createLogger({ name: 'honey-jars', level: 'info', destination: quiet });
      for (let i = 0; i < 12; i++) log.info({ i }, `jar opened ${i} for bee@example.com`);
      log.error('jar failed');
      await waitFor(() => loki.entries.filter((e) => e.labels.service === 'honey-jars').length === 13);
    } finally {
      await shipping.stop();
    }
    // Nothing went to the embedded store: Loki keeps the logs.
    const [{ n }] = await obs
      .em()
      .execute<{ n: string }[]>(`select count(*) as n from ${logTables(obs.em()).records}`);
    expect(Number(n)).toBe(0);

    const errors = await obs.run<LogsPage>(admin, LOGS, {
      filter: { service: 'honey-jars', level: 'ERROR' },
    });
    expect(errors.errors).toBeUndefined();
    expect(errors.data!.logs.nodes.map((n) => [n.service, n.level, n.message])).toEqual([
      ['honey-jars', 'ERROR', 'jar failed'],
    ]);
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const { data, errors: problems } = await obs.run<LogsPage>(admin, LOGS, {
        filter: { service: 'honey-jars', text: 'jar opened' },
        first: 5,
        after,
      });
      expect(problems).toBeUndefined();
      seen.push(...data!.logs.nodes.map((n) => n.message));
      if (!data!.logs.pageInfo.hasNextPage) break;
      after = data!.logs.pageInfo.endCursor!;
    }
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    expect(seen[0]).toBe('jar opened 11 for [EMAIL]');
    expect(loki.entries.map((e) => e.line).join('')).not.toContain('bee@example.com');
  });

  it('says the search is unavailable (not a stack trace) when Loki is down', async () => {
    loki.down = true;
    try {
      const { errors } = await obs.run(admin, LOGS, {});
      expect(errors?.[0].extensions?.code).toBe('SERVICE_UNAVAILABLE');
    } finally {
      loki.down = false;
    }
  });
});

describe('records of another process over Redis (distributed, no Loki)', () => {
  let obs: ObservabilityHarness;
  const prefix = `test-logs-${randomUUID().slice(0, 8)}:`;
  beforeAll(async () => {
    obs = await startObservability({
      bus: new RedisEventBus(redisUrl, { prefix }),
      config: { topology: 'distributed' },
    });
    await startLogIngestion(obs.runtime);
  });
  afterAll(async () => {
    await obs?.close();
  });

  it('stores the batches another process publishes on the bus, filtered at their source', async () => {
    // "Another process": its own bus connection, its own tap and logger, shipping to the bus.
    const otherBus = new RedisEventBus(redisUrl, { prefix });
    const tap = new LogTap();
    const shipping = startLogShipping({
      loki: { url: '', flushIntervalMs: 20 },
      topology: 'distributed',
      service: 'chat',
      bus: otherBus,
      storedInProcess: false,
      tap,
    });
    expect(shipping.target).toBe('bus');
    const marker = `r${randomUUID().slice(0, 8)}`;
    try {
      const log = createLogger({ name: 'chat', level: 'info', destination: quiet, tap });
      for (let i = 0; i < 3; i++) log.warn({ marker, asker: 'drone@example.com' }, `slow answer ${i}`);
      await waitFor(() => shipping.stats()!.sent === 3);
    } finally {
      await shipping.stop();
      await otherBus.close();
    }
    let page: LogsPage['logs'] | undefined;
    await waitFor(async () => {
      await logIngestionOf(obs.runtime)!.flush();
      const { data } = await obs.run<LogsPage>(admin, LOGS, { filter: { text: marker } });
      page = data?.logs;
      return page?.nodes.length === 3;
    });
    expect(page!.nodes.map((n) => [n.service, n.level, n.message])).toEqual([
      ['chat', 'WARN', 'slow answer 2'],
      ['chat', 'WARN', 'slow answer 1'],
      ['chat', 'WARN', 'slow answer 0'],
    ]);
    expect(page!.nodes.map((n) => n.record).join('')).not.toContain('drone@example.com');
  });
});

describe('batches over Redis while observability is down, and with two replicas', () => {
  const prefix = `test-logs-${randomUUID().slice(0, 8)}:`;
  const marker = `d${randomUUID().slice(0, 8)}`;
  const batch = (i: number) =>
    createEvent<LogRecordsBatch>(
      EventTypes.logRecords,
      {
        service: 'chat',
        entries: [
          {
            at: Date.now(),
            level: 'info',
            service: 'chat',
            msg: `answered ${i}`,
            line: JSON.stringify({ level: 'info', msg: `answered ${i}`, marker, i, name: 'chat' }),
          },
        ],
      },
      { source: 'chat' },
    );
  const stored = async (obs: ObservabilityHarness) =>
    (
      await obs
        .em()
        .execute<{ i: number }[]>(
          `select (record->>'i')::int as i from ${logTables(obs.em()).records} where record->>'marker' = ?`,
          [marker],
        )
    )
      .map((r) => r.i)
      .sort((a, b) => a - b);

  it('stores what was published before it started, and each batch once with two replicas', async () => {
    const chat = new RedisEventBus(redisUrl, { prefix });
    const replicaBus = new RedisEventBus(redisUrl, { prefix });
    let a: ObservabilityHarness | undefined;
    let b: SubgraphRuntime | undefined;
    try {
      // Published while no observability runs.
      for (let i = 0; i < 3; i++) await chat.publish(Topics.observability.logRecords, batch(i));
      a = await startObservability({
        bus: new RedisEventBus(redisUrl, { prefix }),
        config: { topology: 'distributed' },
      });
      await startLogIngestion(a.runtime);
      // A second replica: the same database, its own bus connection.
      b = createSubgraphRuntime(subgraph, {
        orm: a.orm,
        bus: replicaBus,
        logger: a.runtime.logger,
        config: { topology: 'distributed' } as never,
      });
      await startLogIngestion(b);
      await waitFor(async () => (await stored(a!)).length === 3);
      for (let i = 3; i < 40; i++) await chat.publish(Topics.observability.logRecords, batch(i));
      await waitFor(async () => (await stored(a!)).length >= 40);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await stored(a)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    } finally {
      for (const hook of b?.stopHooks.splice(0).reverse() ?? []) await hook();
      await b?.outbox.stop();
      await Promise.all([chat.close(), replicaBus.close()]);
      await a?.close();
    }
  });
});

describe('the embedded store as this process log shipping', () => {
  let obs: ObservabilityHarness;
  afterAll(async () => {
    await obs?.close();
  });

  it('reports the store backlog and drops through processLogShipping when records are stored in-process', async () => {
    obs = await startObservability({ config: { topology: 'embedded' } });
    const shipping = startLogShipping({ topology: 'embedded', service: 'gateway', storedInProcess: true });
    try {
      expect(shipping.target).toBe('in-process');
      expect(shipping.stats()).toBeNull();
      await startLogIngestion(obs.runtime);
      const log = createLogger({ name: 'gateway', level: 'info', destination: quiet });
      log.info('one record for the store');
      await logIngestionOf(obs.runtime)!.flush();
      expect(processLogShipping()!.stats()).toMatchObject({ backlog: 0, dropped: 0 });
      expect(processLogShipping()!.stats()!.sent).toBeGreaterThanOrEqual(1);
    } finally {
      await shipping.stop();
    }
  });
});
