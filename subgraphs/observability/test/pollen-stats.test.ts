// Platform-wide Pollen Filter statistics on both real buses: other processes' latest reports are summed with this
// process's own figures, stale reports are dropped, this process's own reports are not counted twice, and only
// administrators may read them.
import { describe, it, expect, afterEach } from '@jest/globals';
import {
  createEvent,
  EventTypes,
  PollenStatsReporter,
  Topics,
  processPollenFilter,
  type EventBus,
  type PollenFilterStats,
  type PollenStatsReport,
} from '@sting/kit';
import { waitFor } from '@sting/kit/testing';
import { PollenStatsCollector } from '../src/domain/pollen/pollen-stats.ts';
import { buildViewer, createBus, startObservability, type ObservabilityHarness } from './harness.ts';

const stats = (
  since: string,
  records: number,
  bytes: number,
  counts: Record<string, number>,
): PollenFilterStats => ({
  since,
  records,
  bytes,
  counts,
});

const report = (instance: string, service: string, s: PollenFilterStats) =>
  createEvent<PollenStatsReport>(
    EventTypes.pollenStats,
    { instance, service, at: new Date().toISOString(), stats: s },
    { source: service },
  );

describe.each(['in-process', 'redis'] as const)('PollenStatsCollector on the %s bus', (kind) => {
  const open: (EventBus | PollenStatsCollector)[] = [];
  afterEach(async () => {
    for (const item of open.splice(0).reverse()) {
      if (item instanceof PollenStatsCollector) await item.stop();
      else await item.close();
    }
  });

  function setUp(now: () => number) {
    const bus = createBus(kind);
    const own = stats('2026-01-01T10:00:00.000Z', 100, 5_000, { email: 3, card: 1 });
    const collector = new PollenStatsCollector({ bus, ownInstance: 'self', ownStats: () => own, now });
    open.push(bus, collector);
    return { bus, collector };
  }

  it('sums its own figures with the latest report of each other instance, own reports skipped', async () => {
    let clock = 1_000_000;
    const { bus, collector } = setUp(() => clock);
    await collector.start();
    const big = 3_000_000_000; // past 2^31: counts travel as plain numbers
    await bus.publish(
      Topics.observability.pollenStats,
      report('a', 'honey-jars', stats('2026-01-01T09:00:00.000Z', 1, 1, { email: 1 })),
    );
    // A later report of the same instance replaces its earlier one rather than adding to it.
    await bus.publish(
      Topics.observability.pollenStats,
      report('a', 'honey-jars', stats('2026-01-01T09:00:00.000Z', 10, 200, { email: 4 })),
    );
    await bus.publish(
      Topics.observability.pollenStats,
      report('b', 'chat', stats('2026-01-01T11:00:00.000Z', big, 300, { iban: 2, card: 5 })),
    );
    // This process's own report, e.g. from its reporter: already in ownStats, so it must not count again.
    await bus.publish(
      Topics.observability.pollenStats,
      report('self', 'gateway', stats('2025-01-01T00:00:00.000Z', 999, 999, { email: 999 })),
    );
    await waitFor(
      () => collector.snapshot().instances === 3 && collector.snapshot().records === 100 + 10 + big,
    );

    clock += 1000;
    expect(collector.snapshot()).toEqual({
      since: new Date('2026-01-01T09:00:00.000Z'),
      records: 100 + 10 + big,
      bytes: 5_000 + 200 + 300,
      redactions: [
        { type: 'EMAIL', count: 7 },
        { type: 'CARD', count: 6 },
        { type: 'IBAN', count: 2 },
      ],
      totalRedactions: 15,
      instances: 3,
    });
  });

  it('drops a report not renewed within 60 seconds', async () => {
    let clock = 5_000_000;
    const { bus, collector } = setUp(() => clock);
    await collector.start();
    await bus.publish(
      Topics.observability.pollenStats,
      report('old', 'knowledge', stats('2026-01-01T08:00:00.000Z', 7, 70, { ssn: 1 })),
    );
    await waitFor(() => collector.snapshot().instances === 2);
    clock += 30_000;
    await bus.publish(
      Topics.observability.pollenStats,
      report('fresh', 'identity', stats('2026-01-01T12:00:00.000Z', 5, 50, { phone: 2 })),
    );
    await waitFor(() => collector.snapshot().instances === 3);

    clock += 31_000; // 'old' is now 61 s old, 'fresh' 31 s
    const summed = collector.snapshot();
    expect(summed.instances).toBe(2);
    expect(summed.records).toBe(105);
    expect(summed.redactions.map((r) => r.type)).toEqual(['EMAIL', 'PHONE', 'CARD']);
    expect(summed.since).toEqual(new Date('2026-01-01T10:00:00.000Z'));
  });
});

describe('Query.pollenFilterStats', () => {
  let obs: ObservabilityHarness | undefined;
  afterEach(async () => {
    await obs?.close();
  });
  const QUERY = `{ pollenFilterStats { since records bytes totalRedactions instances redactions { type count } } }`;

  it('answers administrators with this process’s figures plus other processes’ reports', async () => {
    obs = await startObservability();
    const own = processPollenFilter().stats();
    const ownEmails = own.counts.email ?? 0;
    const first = await obs.run(buildViewer('ADMIN'), QUERY);
    expect(first.errors).toBeUndefined();
    expect(first.data.pollenFilterStats.instances).toBe(1);

    const other = new PollenStatsReporter({
      bus: obs.runtime.bus,
      service: 'chat',
      instance: 'another-process',
      filter: { stats: () => stats('2020-01-01T00:00:00.000Z', 40, 400, { email: 2, jwt: 1 }) },
    });
    await other.publish();
    let data: any;
    for (let i = 0; i < 50; i++) {
      data = (await obs.run(buildViewer('ADMIN'), QUERY)).data.pollenFilterStats;
      if (data.instances === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(data.instances).toBe(2);
    expect(data.since).toBe('2020-01-01T00:00:00.000Z');
    expect(data.records).toBeGreaterThanOrEqual(own.records + 40);
    expect(data.redactions).toEqual(
      expect.arrayContaining([
        { type: 'EMAIL', count: expect.any(Number) },
        { type: 'JWT', count: 1 },
      ]),
    );
    expect(data.redactions.find((r: any) => r.type === 'EMAIL').count).toBeGreaterThanOrEqual(ownEmails + 2);
    expect(data.totalRedactions).toBe(data.redactions.reduce((sum: number, r: any) => sum + r.count, 0));
  });

  it('refuses members and viewers (FORBIDDEN) and anonymous requests (UNAUTHENTICATED)', async () => {
    obs = await startObservability();
    for (const role of ['MEMBER', 'VIEWER'] as const) {
      const { data, errors } = await obs.run(buildViewer(role), QUERY);
      expect(data).toBeNull();
      expect(errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect((await obs.run({ kind: 'system' }, QUERY)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await obs.run(null, QUERY)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
