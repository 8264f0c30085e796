// Beeacon's view of Loki, Grafana and its own configuration, and the Pollen Filter's per-minute series: not
// configured says so (no error), configured asks the stand-ins; secrets appear as references, never values;
// administrators only.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EventTypes,
  PollenStatsReporter,
  Topics,
  createEvent,
  createLogger,
  startLogShipping,
  type EventEnvelope,
  type LogSanitizedReport,
  type PollenFilterStats,
} from '@sting/kit';
import { waitFor } from '@sting/kit/testing';
import { grafanaStatus } from '../src/domain/integrations/grafana-status.ts';
import { logIngestionOf, startLogIngestion } from '../src/domain/logs/ingest.ts';
import { startStandInLoki, type StandInLoki } from '../../../tests/standins/loki.ts';
import { startStandInGrafana, type StandInGrafana } from '../../../tests/standins/grafana.ts';
import { buildViewer, startObservability, type ObservabilityHarness } from './harness.ts';

const admin = buildViewer('ADMIN');
const LOKI = `{ lokiStatus { configured url reachable detail backlog lastPushAt shipped dropped lastError } }`;
const GRAFANA = `{ grafanaStatus { configured url reachable version database detail dashboards { uid title file present } } }`;
const CONFIG = `{ observabilityConfig { key value secret } }`;
const SERIES = `query Series($since: DateTime, $until: DateTime) {
  pollenFilterStats { timeSeries(since: $since, until: $until) { minute records redactions { type count } } }
}`;

describe('not configured', () => {
  let obs: ObservabilityHarness;
  beforeAll(async () => {
    obs = await startObservability();
  });
  afterAll(async () => {
    await obs?.close();
  });

  it('Loki and Grafana say they are not configured, with a 200-style answer', async () => {
    const loki = await obs.run(admin, LOKI);
    expect(loki.errors).toBeUndefined();
    expect(loki.data.lokiStatus).toMatchObject({
      configured: false,
      reachable: null,
      shipped: 0,
      dropped: 0,
    });
    expect(loki.data.lokiStatus.detail).toMatch(/not configured/);
    const grafana = await obs.run(admin, GRAFANA);
    expect(grafana.errors).toBeUndefined();
    expect(grafana.data.grafanaStatus).toMatchObject({ configured: false, reachable: null, version: null });
  });

  it.each([LOKI, GRAFANA, CONFIG])('%s is for administrators only', async (query) => {
    expect((await obs.run(buildViewer('MEMBER'), query)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await obs.run(null, query)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('configured', () => {
  let obs: ObservabilityHarness;
  let loki: StandInLoki;
  let grafana: StandInGrafana;
  beforeAll(async () => {
    loki = await startStandInLoki();
    grafana = await startStandInGrafana();
    const observability = {
      loki: { url: loki.url, batchSize: 500, flushIntervalMs: 10, maxBufferRecords: 100 },
      logs: { retentionDays: 7 },
      grafana: { url: grafana.url, apiToken: 'grafana-token-value' },
      webhooks: [{ url: 'https://hooks.example/x', secret: 'hmac-key-value', events: [] }],
      alerts: { metricsToken: 'literal-metrics-token' },
    };
    obs = await startObservability({
      config: {
        topology: 'embedded',
        ...observability,
        observability,
        secretReferences: {
          'observability.grafana.apiToken': 'env:GRAFANA_TOKEN',
          'observability.webhooks.0.secret': 'keystore:webhook-key',
        },
      },
    });
  });
  afterAll(async () => {
    await obs?.close();
    await loki?.close();
    await grafana?.close();
  });

  it('reports Loki reachable with the shipping figures, then unreachable and dropping while it is down', async () => {
    const shipping = startLogShipping({
      loki: { url: loki.url, flushIntervalMs: 10, maxBufferRecords: 100 },
      topology: 'embedded',
      service: 'gateway',
      storedInProcess: true,
    });
    try {
      const log = createLogger({ name: 'gateway', level: 'info', destination: { write: () => undefined } });
      for (let i = 0; i < 5; i++) log.info({ i }, 'served');
      await waitFor(() => shipping.stats()!.sent >= 5);
      const up = await obs.run(admin, LOKI);
      expect(up.errors).toBeUndefined();
      expect(up.data.lokiStatus).toMatchObject({
        configured: true,
        url: loki.url,
        reachable: true,
        dropped: 0,
      });
      expect(up.data.lokiStatus.shipped).toBeGreaterThanOrEqual(5);
      expect(Date.parse(up.data.lokiStatus.lastPushAt)).toBeGreaterThan(Date.now() - 60_000);

      loki.down = true;
      for (let i = 0; i < 300; i++) log.info({ i }, 'served while down');
      const down = await obs.run(admin, LOKI);
      expect(down.data.lokiStatus).toMatchObject({ reachable: false, backlog: 100 });
      expect(down.data.lokiStatus.dropped).toBeGreaterThanOrEqual(200);
    } finally {
      loki.down = false;
      await shipping.stop();
    }
  });

  it('reports Grafana reachable with its version, sending the token, and which dashboards it has', async () => {
    grafana.dashboards = [{ uid: 'sting-health', title: 'STING platform health' }];
    const { data, errors } = await obs.run(admin, GRAFANA);
    expect(errors).toBeUndefined();
    expect(data.grafanaStatus).toMatchObject({
      configured: true,
      reachable: true,
      version: '11.3.0',
      database: 'ok',
    });
    expect(grafana.authorizations.at(-1)).toBe('Bearer grafana-token-value');

    const dir = await mkdtemp(join(tmpdir(), 'sting-grafana-'));
    try {
      await mkdir(join(dir, 'dashboards'));
      const dashboard = (uid: string, title: string) => JSON.stringify({ uid, title, panels: [] });
      await writeFile(
        join(dir, 'dashboards', 'health.json'),
        dashboard('sting-health', 'STING platform health'),
      );
      await writeFile(join(dir, 'dashboards', 'bee.json'), dashboard('sting-bee', 'Bee'));
      await writeFile(join(dir, 'datasources.json'), JSON.stringify({ apiVersion: 1 }));
      const status = await grafanaStatus(admin, { url: grafana.url, token: null, dir });
      expect(status.dashboards).toEqual([
        { uid: 'sting-bee', title: 'Bee', file: join('dashboards', 'bee.json'), present: false },
        {
          uid: 'sting-health',
          title: 'STING platform health',
          file: join('dashboards', 'health.json'),
          present: true,
        },
      ]);
      grafana.down = true;
      const down = await grafanaStatus(admin, { url: grafana.url, token: null, dir });
      expect(down).toMatchObject({ reachable: false, version: null });
      expect(down.dashboards.every((d) => d.present === null)).toBe(true);
    } finally {
      grafana.down = false;
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('shows the observability configuration with secrets as references, never their values', async () => {
    const { data, errors } = await obs.run(admin, CONFIG);
    expect(errors).toBeUndefined();
    const settings = data.observabilityConfig as { key: string; value: string | null; secret: boolean }[];
    const byKey = Object.fromEntries(settings.map((s) => [s.key, s]));
    expect(byKey['observability.loki.url']).toEqual({
      key: 'observability.loki.url',
      value: loki.url,
      secret: false,
    });
    expect(byKey['observability.loki.batchSize'].value).toBe('500');
    expect(byKey['observability.grafana.apiToken']).toMatchObject({
      value: 'env:GRAFANA_TOKEN',
      secret: true,
    });
    expect(byKey['observability.webhooks.0.secret']).toMatchObject({
      value: 'keystore:webhook-key',
      secret: true,
    });
    expect(byKey['observability.alerts.metricsToken']).toMatchObject({ value: '(set)', secret: true });
    const text = JSON.stringify(settings);
    for (const value of ['grafana-token-value', 'hmac-key-value', 'literal-metrics-token']) {
      expect(text).not.toContain(value);
    }
  });
});

describe('the Pollen Filter time series', () => {
  let obs: ObservabilityHarness;
  beforeAll(async () => {
    obs = await startObservability();
    await startLogIngestion(obs.runtime);
  });
  afterAll(async () => {
    await obs?.close();
  });

  const interval = (to: Date, records: number, redactions: Record<string, number>, instance = 'a') =>
    createEvent<LogSanitizedReport>(
      EventTypes.logSanitized,
      {
        instance,
        service: 'gateway',
        from: new Date(to.getTime() - 15_000).toISOString(),
        to: to.toISOString(),
        records,
        redactions,
      },
      { source: 'gateway' },
    );

  it('adds every process interval into its minute, redactions per type, and serves them per minute', async () => {
    const base = Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000;
    const bus = obs.runtime.bus;
    await bus.publish(
      Topics.observability.logSanitized,
      interval(new Date(base + 5_000), 10, { email: 2, card: 1 }),
    );
    await bus.publish(
      Topics.observability.logSanitized,
      interval(new Date(base + 40_000), 5, { email: 1 }, 'b'),
    );
    await bus.publish(Topics.observability.logSanitized, interval(new Date(base + 65_000), 7, {}));
    await waitFor(async () => {
      await logIngestionOf(obs.runtime)!.flush();
      const { data } = await obs.run(admin, SERIES, { since: new Date(base).toISOString() });
      return data?.pollenFilterStats.timeSeries.length === 2;
    });
    const { data, errors } = await obs.run(admin, SERIES, {
      since: new Date(base).toISOString(),
      until: new Date(base + 120_000).toISOString(),
    });
    expect(errors).toBeUndefined();
    expect(data.pollenFilterStats.timeSeries).toEqual([
      {
        minute: new Date(base).toISOString(),
        records: 15,
        redactions: [
          { type: 'EMAIL', count: 3 },
          { type: 'CARD', count: 1 },
        ],
      },
      { minute: new Date(base + 60_000).toISOString(), records: 7, redactions: [] },
    ]);
  });

  it('each process reports what changed per interval, counts only', async () => {
    let stats: PollenFilterStats = {
      since: '2026-11-30T10:00:00.000Z',
      records: 4,
      bytes: 100,
      counts: { email: 1 },
    };
    const bus = obs.runtime.bus;
    const feed = await bus.subscribe<LogSanitizedReport>(Topics.observability.logSanitized);
    const reporter = new PollenStatsReporter({
      bus,
      service: 'chat',
      instance: 'i1',
      filter: { stats: () => stats },
    });
    const heard: EventEnvelope<LogSanitizedReport>[] = [];
    const reading = (async () => {
      for await (const event of feed) if (heard.push(event) === 2) break;
    })();
    await reporter.publish();
    stats = { ...stats, records: 10, bytes: 900, counts: { email: 3, card: 2 } };
    await reporter.publish();
    await reporter.publish(); // nothing new: no interval
    await reading;
    expect(heard.map((e) => e.payload)).toEqual([
      expect.objectContaining({
        service: 'chat',
        instance: 'i1',
        from: stats.since,
        records: 4,
        redactions: { email: 1 },
      }),
      expect.objectContaining({ records: 6, redactions: { email: 2, card: 2 } }),
    ]);
    expect(heard[0].type).toBe('observability.log.sanitized');
    expect(JSON.stringify(heard)).not.toMatch(/bytes|@/);
  });

  it('refuses more than seven days at a time, and non-administrators', async () => {
    const tooLong = await obs.run(admin, SERIES, {
      since: new Date(Date.now() - 8 * 86_400_000).toISOString(),
    });
    expect(tooLong.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'since' });
    const member = await obs.run(buildViewer('MEMBER'), SERIES, {});
    expect(member.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
