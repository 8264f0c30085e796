// Beeacon's evaluated alert rules against a real PostgreSQL: each fires on its condition (raising one alert and
// its observability.alert.triggered event), counts the same alert while the condition holds instead of raising
// another, and resolves it by itself once the condition clears. Event rules read the events table; the metric
// rules read the gateway's prom-client metrics (a real registry here, as the gateway writes it). With two replicas
// on their clocks, each round is evaluated by one of them: an alert is counted once per round, not per replica.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Counter, Histogram, Registry } from 'prom-client';
import { createEvent, EventTypes, OutboxEvent, Topics, type EventType } from '@sting/kit';
import { Alert } from '../src/entities/index.ts';
import { EventStore } from '../src/domain/events/event-store.ts';
import { projectEvent } from '../src/domain/events/projection.ts';
import {
  failedSignInsRule,
  ingestionFailuresRule,
  launcherRestartsRule,
  piiSpikeRule,
} from '../src/domain/rules/event-rules.ts';
import { errorRateRule, latencyRule, TrafficWindow } from '../src/domain/rules/metric-rules.ts';
import { logBacklogRule } from '../src/domain/rules/log-backlog.ts';
import { fetchGatewayMetrics, quantile, readTraffic } from '../src/domain/rules/gateway-traffic.ts';
import { metricsEndpoint } from '../src/domain/rules/index.ts';
import { ruleFingerprint, RuleEngine, type AlertRule } from '../src/domain/rules/rule-engine.ts';
import { startObservability, type ObservabilityHarness } from './harness.ts';
import { runReplicas } from './replicas.ts';

const MINUTE = 60_000;

describe('evaluated alert rules', () => {
  let obs: ObservabilityHarness;
  const store = new EventStore();
  beforeAll(async () => {
    obs = await startObservability();
  });
  afterAll(async () => {
    await obs?.close();
  });

  const em = () => obs.em() as unknown as EntityManager;
  const engine = (rule: AlertRule) =>
    new RuleEngine({ orm: obs.orm as unknown as MikroORM, rules: [rule], origin: 'observability' });
  const record = (type: EventType, payload: unknown, at: Date, metadata = {}) =>
    store.insert(
      em(),
      projectEvent({
        ...createEvent(type, payload, { source: 'test', metadata }),
        timestamp: at.toISOString(),
      }),
    );
  const alertOf = (rule: string, subject: string) =>
    em().findOne(Alert, { fingerprint: ruleFingerprint(rule, subject) }, { orderBy: { createdAt: 'desc' } });
  const announced = (fingerprint: string) =>
    em().count(OutboxEvent, {
      topic: Topics.observability.alertTriggered,
      envelope: { $contains: { payload: { fingerprint } } },
    } as never);

  it('failed sign-ins from one address: fires at the threshold, counts while it holds, resolves when the window passes', async () => {
    const rule = failedSignInsRule({ enabled: true, threshold: 3, windowMinutes: 5 });
    const address = `10.9.${Math.floor(Math.random() * 250)}.7`;
    const other = `10.8.${Math.floor(Math.random() * 250)}.1`;
    const now = new Date();
    const signIn = (ip: string, outcome: string, at: Date) =>
      record(EventTypes.userAction, { action: 'auth.sign_in', outcome, clientAddress: ip }, at);
    for (const minutesAgo of [4, 3])
      await signIn(address, 'failure', new Date(now.getTime() - minutesAgo * MINUTE));
    await signIn(address, 'success', now);
    await signIn(other, 'failure', now);
    const rules = engine(rule);
    expect((await rules.evaluate(now)).raised).toEqual([]);

    await signIn(address, 'failure', new Date(now.getTime() - MINUTE));
    const first = await rules.evaluate(now);
    expect(first.raised).toEqual([{ rule: 'failed-sign-ins', subject: address, created: true }]);
    const alert = await alertOf('failed-sign-ins', address);
    expect(alert).toMatchObject({ state: 'OPEN', severity: 'WARNING', source: 'observability', count: 1 });
    expect(alert?.title).toBe(`3 failed sign-ins from ${address}`);
    expect(await announced(alert!.fingerprint)).toBe(1);
    // Another address below the threshold raised nothing.
    expect(await alertOf('failed-sign-ins', other)).toBeNull();

    // Still in breach a little later: the same alert is counted, not raised or announced again.
    const second = await rules.evaluate(new Date(now.getTime() + 10_000));
    expect(second.raised).toEqual([{ rule: 'failed-sign-ins', subject: address, created: false }]);
    expect(await alertOf('failed-sign-ins', address)).toMatchObject({
      id: alert!.id,
      count: 2,
      state: 'OPEN',
    });
    expect(await announced(alert!.fingerprint)).toBe(1);

    // Two minutes on, the oldest failure has left the window: fewer than three, the alert resolves itself.
    const cleared = await rules.evaluate(new Date(now.getTime() + 2 * MINUTE));
    expect(cleared.resolved).toEqual([{ rule: 'failed-sign-ins', fingerprint: alert!.fingerprint }]);
    expect(await alertOf('failed-sign-ins', address)).toMatchObject({ state: 'RESOLVED', resolvedBy: null });
  });

  it('ingestion failures: distinct documents that FAILED within the window', async () => {
    const rule = ingestionFailuresRule({ enabled: true, threshold: 2, windowMinutes: 15 });
    const rules = engine(rule);
    const now = new Date(Date.now() + 3 * 3600_000); // clear of the other tests' events
    const doc = randomUUID();
    const status = (id: string, processingStatus: string) =>
      record(EventTypes.documentStatusChanged, { id, processingStatus, honeyJarId: randomUUID() }, now);
    await status(doc, 'FAILED');
    await status(doc, 'FAILED'); // the same document failing again is one failed document
    await status(randomUUID(), 'READY');
    expect((await rules.evaluate(now)).raised).toEqual([]);
    await status(randomUUID(), 'FAILED');
    expect((await rules.evaluate(now)).raised).toEqual([
      { rule: 'ingestion-failures', subject: '', created: true },
    ]);
    expect((await alertOf('ingestion-failures', ''))?.title).toBe('2 documents failed ingestion');
    const later = await rules.evaluate(new Date(now.getTime() + 16 * MINUTE));
    expect(later.resolved).toHaveLength(1);
    expect(await alertOf('ingestion-failures', '')).toMatchObject({ state: 'RESOLVED' });
  });

  it('a spike in PII detections sums the findings of every type', async () => {
    const rules = engine(piiSpikeRule({ enabled: true, threshold: 50, windowMinutes: 60 }));
    const now = new Date(Date.now() + 6 * 3600_000);
    await record(
      EventTypes.piiDetected,
      { source: 'document', documentId: randomUUID(), counts: { EMAIL: 20, PHONE: 10 } },
      now,
    );
    expect((await rules.evaluate(now)).raised).toEqual([]);
    await record(
      EventTypes.piiDetected,
      { source: 'document', documentId: randomUUID(), counts: { EMAIL: 25 } },
      now,
    );
    expect((await rules.evaluate(now)).raised).toEqual([{ rule: 'pii-spike', subject: '', created: true }]);
    expect((await alertOf('pii-spike', ''))?.title).toBe('55 personal data findings');
    await rules.evaluate(new Date(now.getTime() + 61 * MINUTE));
    expect(await alertOf('pii-spike', '')).toMatchObject({ state: 'RESOLVED' });
  });

  it('a process restarted by the launcher: one alert per process, resolved after a quiet window', async () => {
    const rules = engine(launcherRestartsRule({ enabled: true, threshold: 1, windowMinutes: 15 }));
    const now = new Date(Date.now() + 9 * 3600_000);
    await record(EventTypes.launcherRestart, { process: 'chat', exit: 'SIGKILL', restartInMs: 250 }, now);
    await record(EventTypes.launcherRestart, { process: 'chat', exit: '1', restartInMs: 500 }, now);
    const round = await rules.evaluate(now);
    expect(round.raised).toEqual([{ rule: 'launcher-restart', subject: 'chat', created: true }]);
    expect(await alertOf('launcher-restart', 'chat')).toMatchObject({
      title: 'chat was restarted after a crash',
      message: 'The launcher restarted chat 2 times in the last 15 min.',
    });
    await rules.evaluate(new Date(now.getTime() + 16 * MINUTE));
    expect(await alertOf('launcher-restart', 'chat')).toMatchObject({ state: 'RESOLVED' });
  });

  it('the log backlog: fires once it stays at or above the threshold without shrinking, clears below it', async () => {
    let backlog: number | null = 6000;
    const rules = engine(logBacklogRule({ enabled: true, threshold: 5000, rounds: 3 }, () => backlog));
    let clock = Date.now() + 12 * 3600_000;
    const round = () => rules.evaluate(new Date((clock += 30_000)));
    expect((await round()).raised).toEqual([]);
    backlog = 5500; // shrinking: being worked off
    expect((await round()).raised).toEqual([]);
    backlog = 7000;
    expect((await round()).raised).toEqual([]);
    backlog = 9000; // 5500, 7000, 9000: growing for three checks
    expect((await round()).raised).toEqual([{ rule: 'log-backlog', subject: '', created: true }]);
    expect((await alertOf('log-backlog', ''))?.title).toBe('9000 log records waiting to be shipped');
    backlog = null; // shipping not running: nothing decided
    expect(await round()).toEqual({ raised: [], resolved: [] });
    backlog = 120;
    expect((await round()).resolved).toHaveLength(1);
    expect(await alertOf('log-backlog', '')).toMatchObject({ state: 'RESOLVED' });
  });

  describe('from the gateway metrics', () => {
    /** The gateway's two GraphQL metrics, as gateway-metrics.ts registers them. */
    const gatewayRegistry = () => {
      const registry = new Registry();
      const requests = new Counter({
        name: 'sting_graphql_requests_total',
        help: 'h',
        labelNames: ['operation_type', 'outcome'],
        registers: [registry],
      });
      const duration = new Histogram({
        name: 'sting_graphql_request_duration_seconds',
        help: 'h',
        labelNames: ['operation_type'],
        registers: [registry],
      });
      const answer = (type: string, outcome: string, seconds: number, times = 1) => {
        for (let i = 0; i < times; i += 1) {
          requests.inc({ operation_type: type, outcome });
          duration.observe({ operation_type: type }, seconds);
        }
      };
      return { registry, answer };
    };

    it('scrapes the gateway /metrics with its token in the distributed topology', async () => {
      const { registry, answer } = gatewayRegistry();
      answer('query', 'success', 0.01, 3);
      const server = createServer((req, res) => {
        if (req.headers.authorization !== 'Bearer metrics-token') return void res.writeHead(401).end();
        void registry
          .metrics()
          .then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      try {
        const gateway = {
          subgraphs: {},
          host: '0.0.0.0',
          port,
          profile: 'development',
          metrics: { enabled: true, listener: 'auto', port: 9464, token: 'metrics-token' },
        };
        const endpoint = metricsEndpoint({ topology: 'distributed', gateway, alerts: {} } as never);
        expect(endpoint).toEqual({
          url: `http://127.0.0.1:${port}/metrics`,
          token: 'metrics-token',
          configured: false,
        });
        // In production the metrics have a listener of their own.
        const production = metricsEndpoint({
          topology: 'distributed',
          gateway: { ...gateway, profile: 'production' },
          alerts: {},
        } as never);
        expect(production.url).toBe('http://127.0.0.1:9464/metrics');
        // Embedded: this process's gateway, no URL.
        expect(metricsEndpoint({ topology: 'embedded', gateway, alerts: {} } as never).url).toBe('');

        // No gateway in this process: the derived URL is scraped.
        const text = await fetchGatewayMetrics(endpoint.url, endpoint.token, endpoint);
        expect(readTraffic(text!).get('query')?.requests).toBe(3);
        await expect(fetchGatewayMetrics(endpoint.url, 'wrong', { configured: true })).rejects.toThrow(
          'metrics answered 401',
        );
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });

    it('reads the p99 of a histogram as Prometheus does', async () => {
      const { registry, answer } = gatewayRegistry();
      answer('query', 'success', 0.02, 99);
      answer('query', 'success', 7, 1);
      const traffic = readTraffic(await registry.metrics()).get('query')!;
      expect(traffic.requests).toBe(100);
      expect(quantile(traffic.buckets, 0.5)).toBeLessThanOrEqual(0.025);
      expect(quantile(traffic.buckets, 0.99)).toBeLessThanOrEqual(0.025);
      expect(quantile(traffic.buckets, 0.999)).toBeGreaterThan(5);
    });

    it('error rate and p99 latency per operation type over each interval: fire, count, resolve', async () => {
      const { registry, answer } = gatewayRegistry();
      let reachable = true;
      const traffic = new TrafficWindow(async () => (reachable ? registry.metrics() : null));
      const rules = new RuleEngine({
        orm: obs.orm as unknown as MikroORM,
        rules: [
          errorRateRule({ enabled: true, threshold: 0.1, minRequests: 10 }, traffic),
          latencyRule({ enabled: true, p99Seconds: 1, minRequests: 10 }, traffic),
        ],
        origin: 'observability',
      });
      let clock = Date.now();
      const round = () => rules.evaluate(new Date((clock += 30_000)));
      answer('mutation', 'error', 0.01, 50);
      // The first reading is the baseline: everything before it is history, not this interval.
      expect(await round()).toEqual({ raised: [], resolved: [] });

      answer('mutation', 'success', 0.01, 16);
      answer('mutation', 'error', 0.01, 4);
      answer('query', 'success', 0.01, 4); // too few to judge
      answer('query', 'error', 0.01, 4);
      answer('subscription', 'success', 3, 30);
      const breach = await round();
      expect(breach.raised).toEqual([
        { rule: 'error-rate', subject: 'mutation', created: true },
        { rule: 'latency-p99', subject: 'subscription', created: true },
      ]);
      expect((await alertOf('error-rate', 'mutation'))?.title).toBe('mutation error rate 20.0%');
      expect((await alertOf('latency-p99', 'subscription'))?.title).toMatch(
        /^subscription p99 latency [\d.]+s$/,
      );

      // The gateway unreachable: neither raised nor resolved.
      reachable = false;
      expect(await round()).toEqual({ raised: [], resolved: [] });
      reachable = true;

      answer('mutation', 'success', 0.01, 20);
      answer('subscription', 'success', 0.01, 30);
      const healthy = await round();
      expect(healthy.raised).toEqual([]);
      expect(healthy.resolved.map((r) => r.rule).sort()).toEqual(['error-rate', 'latency-p99']);
      expect(await alertOf('error-rate', 'mutation')).toMatchObject({ state: 'RESOLVED' });
      expect(await alertOf('latency-p99', 'subscription')).toMatchObject({ state: 'RESOLVED' });
    });
  });

  it('two replicas on their clocks evaluate each round once; when one stops, the other carries on', async () => {
    const subject = randomUUID();
    const runs: [number, number] = [0, 0];
    const replica = (i: 0 | 1) => {
      const rules = new RuleEngine({
        orm: obs.orm as unknown as MikroORM,
        rules: [
          {
            name: 'always-in-breach',
            async evaluate() {
              runs[i] += 1;
              return [{ subject, severity: 'INFO', title: 'Always in breach', message: 'for the test' }];
            },
          },
        ],
        origin: 'observability',
      });
      return { start: () => rules.start(0.5), stop: () => rules.stop() };
    };
    const { total } = await runReplicas({
      replicas: [replica(0), replica(1)],
      runs: () => runs,
      intervalSeconds: 0.5,
      rounds: 4,
      more: 2,
    });
    // Raised by the first round and counted by each later one, whichever replica ran it.
    const alert = await alertOf('always-in-breach', subject);
    expect(alert).toMatchObject({ state: 'OPEN', count: total });
    expect(await announced(alert!.fingerprint)).toBe(1);
  });
});
