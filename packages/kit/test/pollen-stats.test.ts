// The process's shared Pollen Filter and its statistics reporter: default loggers count into one filter, a
// logger with a filter of its own does not, and reports reach a subscriber on both real buses.
import { describe, it, expect } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { within } from '../src/testing/wait.ts';
import type { EventEnvelope } from '../src/bus/envelope.ts';
import type { EventBus } from '../src/bus/event-bus.ts';
import { Topics } from '../src/bus/topics.ts';
import { InProcessEventBus } from '../src/bus/in-process-bus.ts';
import { RedisEventBus } from '../src/bus/redis-bus.ts';
import { createLogger } from '../src/logging/logger.ts';
import { processInstanceId, processPollenFilter } from '../src/logging/process-filter.ts';
import { PollenStatsReporter, type PollenStatsReport } from '../src/logging/pollen-stats-reporter.ts';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const sink = () => ({ write: () => undefined });
const emails = () => processPollenFilter().stats().counts.email ?? 0;

describe('processPollenFilter', () => {
  it('is one instance that every default logger of the process counts into', () => {
    expect(processPollenFilter()).toBe(processPollenFilter());
    const before = emails();
    const a = createLogger({ name: 'one', destination: sink() });
    const b = createLogger({ name: 'two', destination: sink(), secrets: { knownValues: () => [] } });
    a.info('mail queen.bee@hive.example');
    b.child({ requestId: 'r1' }).warn({ to: 'drone@hive.example' }, 'sent');
    expect(emails()).toBe(before + 2);
  });

  it('is not used by a logger that brings its own filter or its own Pollen options', () => {
    const before = processPollenFilter().stats();
    createLogger({ name: 'own', destination: sink(), filter: (r) => r }).info('mail a@hive.example');
    createLogger({ name: 'opts', destination: sink(), pollen: { defaultMode: 'partial' } }).info(
      'mail b@hive.example',
    );
    createLogger({ name: 'off', destination: sink(), pollen: false }).info('mail c@hive.example');
    const after = processPollenFilter().stats();
    expect(after.records).toBe(before.records);
    expect(after.counts).toEqual(before.counts);
  });
});

describe.each([
  ['in-process', () => new InProcessEventBus()],
  ['redis', () => new RedisEventBus(redisUrl, { prefix: `test-${randomBytes(4).toString('hex')}:` })],
] as const)('PollenStatsReporter on the %s bus', (_kind, open: () => EventBus) => {
  it('publishes this process’s figures at once and then every interval, and stops', async () => {
    const bus = open();
    try {
      const feed = await bus.subscribe<PollenStatsReport>(Topics.observability.pollenStats);
      createLogger({ name: 'reporting', destination: sink() }).info('card 4111 1111 1111 1111');
      const reporter = new PollenStatsReporter({ bus, service: 'honey-jars', intervalSeconds: 0.1 }).start();
      const firstEvent = (await within(feed.next())).value as EventEnvelope<PollenStatsReport>;
      expect(firstEvent).toMatchObject({ type: 'observability.pollen.stats', source: 'honey-jars' });
      const first = firstEvent.payload;
      expect(first).toMatchObject({ instance: processInstanceId(), service: 'honey-jars' });
      expect(new Date(first.at).getTime()).toBeGreaterThan(Date.now() - 5000);
      expect(first.stats.counts.card).toBeGreaterThanOrEqual(1);
      expect(first.stats).toEqual(
        expect.objectContaining({ records: expect.any(Number), since: expect.any(String) }),
      );
      const second = ((await within(feed.next())).value as EventEnvelope<PollenStatsReport>).payload;
      expect(second.at >= first.at).toBe(true);
      reporter.stop();
      await new Promise((resolve) => setTimeout(resolve, 150));
      // Nothing more after stop(): drain anything already in flight, then expect silence.
      const late = await Promise.race([
        feed.next().then(() => 'report'),
        new Promise((resolve) => setTimeout(() => resolve('silence'), 400)),
      ]);
      expect(late).toBe('silence');
      await feed.return();
    } finally {
      await bus.close();
    }
  });

  it('logs instead of throwing when the bus refuses the report', async () => {
    const bus = open();
    await bus.close();
    const warnings: unknown[] = [];
    const reporter = new PollenStatsReporter({
      bus,
      service: 'chat',
      logger: { warn: (o: unknown) => warnings.push(o) },
    });
    await expect(reporter.publish()).resolves.toBeUndefined();
    expect(warnings).toHaveLength(1);
  });
});
