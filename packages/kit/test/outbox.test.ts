// The outbox relay against a real PostgreSQL: events go out in the order they were written and are marked sent,
// a row that is not an envelope cannot block the ones behind it, a failing bus keeps events (and their order)
// until it recovers, two replicas draining the same outbox publish each event once and all of them in order, and the poll finds events no
// commit nudged it about with one statement while there are none.
import { describe, it, expect, beforeAll, afterAll, beforeEach } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createEvent, type EventEnvelope } from '../src/bus/envelope.ts';
import { InProcessEventBus } from '../src/bus/in-process-bus.ts';
import { EventTypes } from '../src/bus/topics.ts';
import { createOrm } from '../src/db/orm.ts';
import { enqueueEvent, OutboxEvent } from '../src/outbox/outbox-event.ts';
import { OutboxRelay } from '../src/outbox/relay.ts';

const clientUrl = process.env.DATABASE_URL ?? 'postgres://sting@127.0.0.1:55432/sting_kit';
const schema = `kit_outbox_${randomBytes(4).toString('hex')}`;
let orm: MikroORM;

/** A bus that records what it was given and can refuse, as an unreachable Redis does. */
class RecordingBus extends InProcessEventBus {
  seen: { topic: string; event: EventEnvelope }[] = [];
  down = false;
  override async publish<T>(topic: string, event: EventEnvelope<T>): Promise<void> {
    if (this.down) throw new Error('connect ECONNREFUSED');
    this.seen.push({ topic, event: event as EventEnvelope });
  }
}

const write = async (...payloads: number[]) => {
  const em = orm.em.fork();
  const events = payloads.map((n) => createEvent(EventTypes.userAction, n, { source: 'kit-test' }));
  for (const event of events) enqueueEvent(em, 'kit.test', event);
  await em.flush();
  return events;
};

beforeAll(async () => {
  orm = await createOrm({
    clientUrl,
    schema,
    entities: [OutboxEvent],
    migrationsPath: '/nonexistent',
    poolMax: 4,
  });
  await orm.schema.create();
});
beforeEach(async () => {
  await orm.em.fork().nativeDelete(OutboxEvent, {});
});
afterAll(async () => {
  await orm.schema.execute(`drop schema if exists "${schema}" cascade`);
  await orm.close(true);
});

describe('OutboxRelay', () => {
  it('publishes in the order written and marks each event sent', async () => {
    const bus = new RecordingBus();
    const relay = new OutboxRelay(orm, bus, { batchSize: 2 });
    const written = await write(1, 2, 3, 4, 5);
    expect(await relay.pending()).toBe(5);
    expect(await relay.drain()).toBe(5);
    expect(bus.seen.map((s) => s.event)).toEqual(written);
    expect(await relay.pending()).toBe(0);
    expect(await relay.drain()).toBe(0);
  });

  it('finds events no commit nudged it about on its poll, looking with one statement while there are none', async () => {
    const bus = new RecordingBus();
    const relay = new OutboxRelay(orm, bus, { pollIntervalMs: 50 }).start();
    try {
      // Written by another process (another replica's outbox table): no commit of this ORM nudges the relay.
      const event = createEvent(EventTypes.userAction, 7, { source: 'kit-test' });
      await orm.em
        .fork()
        .getConnection()
        .execute(
          `insert into "${schema}"."outbox_event" (id, topic, envelope, created_at, attempts) values (?, ?, ?, now(), 0)`,
          [event.id, 'kit.test', JSON.stringify(event)],
        );
      for (let i = 0; i < 100 && bus.seen.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(bus.seen.map((s) => s.event.id)).toEqual([event.id]);

      const statements: string[] = [];
      const logger = orm.config.getLogger();
      const log = logger.log.bind(logger);
      orm.config.set('debug', ['query']);
      logger.log = (namespace, message, context) => {
        statements.push(String(message));
        log(namespace, message, context);
      };
      try {
        await new Promise((r) => setTimeout(r, 300));
      } finally {
        logger.log = log;
        orm.config.set('debug', false);
      }
      expect(statements.length).toBeGreaterThan(0);
      expect(statements.join('\n')).not.toMatch(/\bbegin\b|for update/i);
    } finally {
      await relay.stop();
    }
  });

  it('skips a row that is not an envelope instead of stalling the outbox', async () => {
    const bus = new RecordingBus();
    const em = orm.em.fork();
    em.create(OutboxEvent, {
      id: randomUUID(),
      topic: 'kit.test',
      envelope: { nonsense: true } as never,
    });
    await em.flush();
    const [after] = await write(7);
    expect(await new OutboxRelay(orm, bus).drain()).toBe(2);
    expect(bus.seen.map((s) => s.event)).toEqual([after]);
  });

  it('keeps events while the bus fails, counting attempts, and delivers them in order once it is back', async () => {
    const bus = new RecordingBus();
    const relay = new OutboxRelay(orm, bus);
    const written = await write(1, 2, 3);
    bus.down = true;
    await expect(relay.drain()).rejects.toThrow(/ECONNREFUSED/);
    await expect(relay.drain()).rejects.toThrow(/ECONNREFUSED/);
    const rows = await orm.em.fork().find(OutboxEvent, {}, { orderBy: { seq: 'asc' } });
    expect(rows.map((r) => [r.attempts, r.sentAt])).toEqual([
      [2, null],
      [0, null],
      [0, null],
    ]);
    bus.down = false;
    expect(await relay.drain()).toBe(3);
    expect(bus.seen.map((s) => s.event)).toEqual(written);
  });

  it('lets two replicas drain the same outbox at once: every event once, all in the order written', async () => {
    const bus = new RecordingBus();
    // A publish that takes a moment, as Redis's does: the other replica has time to publish meanwhile.
    const publish = bus.publish.bind(bus);
    bus.publish = async (topic, event) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      await publish(topic, event);
    };
    const written = await write(...Array.from({ length: 60 }, (_, i) => i));
    const [one, two] = [
      new OutboxRelay(orm, bus, { batchSize: 5 }),
      new OutboxRelay(orm, bus, { batchSize: 5 }),
    ];
    const [sentA, sentB] = await Promise.all([one.drain(), two.drain()]);
    expect(sentA + sentB).toBe(60);
    expect(bus.seen.map((s) => s.event.id)).toEqual(written.map((e) => e.id));
  });
});
