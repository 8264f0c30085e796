// The events table against a real PostgreSQL: the platform's bus events are stored once each (however often
// heard) in monthly partitions, reduced to figures (no message text), summarised per day in a materialized view
// refreshed concurrently, served by eventSummary to administrators only, and expired months are dropped whole.
// Events heard while an insert runs go in together, in one statement.
import { describe, it, expect, beforeAll, afterAll, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { createEvent, EventTypes, Topics } from '@sting/kit';
import { waitFor } from '@sting/kit/testing';
import { EventRecorder } from '../src/domain/events/event-recorder.ts';
import { partitionName, schemaOf } from '../src/domain/events/event-store.ts';
import { buildViewer, startObservability, type ObservabilityHarness } from './harness.ts';

const SUMMARY = `query ($days: Int!) { eventSummary(days: $days) { since counts { day type kind outcome events amount actors } } }`;

describe('the events table', () => {
  let obs: ObservabilityHarness;
  let recorder: EventRecorder;
  beforeAll(async () => {
    obs = await startObservability();
    recorder = new EventRecorder({
      orm: obs.orm as unknown as MikroORM,
      bus: obs.runtime.bus,
      settings: { enabled: true, retentionDays: 60, summaryRefreshSeconds: 3600 },
      logger: obs.runtime.logger,
    });
    await recorder.start();
  });
  afterAll(async () => {
    await recorder?.stop();
    await obs?.close();
  });

  const em = () => obs.em() as unknown as EntityManager;
  const rows = (where = 'true', params: unknown[] = []) =>
    em().execute<Record<string, any>[]>(`select * from ${schemaOf(em())}."events" where ${where}`, params);

  it('stores each platform event heard on the bus once, reduced to figures', async () => {
    const userId = randomUUID();
    const signIn = createEvent(
      EventTypes.userAction,
      {
        action: 'auth.sign_in',
        outcome: 'failure',
        clientAddress: '192.0.2.44',
        details: { email: 'x@y.z' },
      },
      { source: 'identity' },
    );
    const message = createEvent(
      EventTypes.chatMessageCreated,
      {
        id: randomUUID(),
        conversationId: randomUUID(),
        role: 'USER',
        authorId: userId,
        text: 'my secret plan',
      },
      { source: 'chat', metadata: { actorId: userId } },
    );
    const answer = createEvent(
      EventTypes.aiAnalysisComplete,
      {
        kind: 'bee.answer',
        userId,
        tokensIn: 120,
        tokensOut: 80,
        model: 'm',
        provider: 'p',
        totalTimeMs: 900,
      },
      { source: 'chat' },
    );
    await obs.runtime.bus.publish(Topics.user.action, signIn);
    await obs.runtime.bus.publish(Topics.user.action, signIn); // heard again (at-least-once): stored once
    await obs.runtime.bus.publish(Topics.chat.messageCreated, message);
    await obs.runtime.bus.publish(Topics.ai.analysisComplete, answer);
    const ids = [signIn.id, message.id, answer.id];
    await waitFor(async () => (await rows(`id in (?)`, [ids])).length === 3, { what: 'events stored' });
    const stored = await rows(`id in (?)`, [ids]);
    expect(stored).toHaveLength(3);
    const byId = new Map(stored.map((row) => [row.id, row]));
    expect(byId.get(signIn.id)).toMatchObject({
      type: 'user.action',
      kind: 'auth.sign_in',
      outcome: 'failure',
      subject: '192.0.2.44',
      source: 'identity',
    });
    expect(byId.get(answer.id)).toMatchObject({ kind: 'bee.answer', actor_id: userId, amount: 200 });
    const chat = byId.get(message.id)!;
    expect(chat).toMatchObject({ kind: 'USER', actor_id: userId });
    expect(JSON.stringify(chat)).not.toContain('secret plan');
    expect(JSON.stringify(byId.get(signIn.id))).not.toContain('x@y.z');
    // The month's partition holds them.
    const month = new Date();
    const [partition] = await em().execute<{ found: string | null }[]>(`select to_regclass(?) as found`, [
      `${schemaOf(em())}."${partitionName(new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1)))}"`,
    ]);
    expect(partition?.found).not.toBeNull();
  });

  it('stores events heard while an insert runs together in one statement, each answering whether it is new', async () => {
    const insertMany = jest.spyOn(recorder.store, 'insertMany');
    try {
      const events = Array.from({ length: 40 }, (_, i) =>
        createEvent(EventTypes.launcherRestart, { process: `p${i}` }, { source: 'launcher' }),
      );
      const stored = await Promise.all([...events, events[0]].map((event) => recorder.record(event)));
      expect(stored.filter(Boolean)).toHaveLength(40); // the repeat of the first is not new
      expect(insertMany.mock.calls.length).toBeLessThanOrEqual(3);
      expect(await rows(`id in (?)`, [events.map((e) => e.id)])).toHaveLength(40);

      // A batch the database refuses is retried row by row: the rows that can be stored are.
      insertMany.mockRejectedValueOnce(new Error('refused'));
      const more = Array.from({ length: 3 }, () =>
        createEvent(EventTypes.launcherRestart, { process: 'q' }, { source: 'launcher' }),
      );
      expect(await Promise.all(more.map((event) => recorder.record(event)))).toEqual([true, true, true]);
    } finally {
      insertMany.mockRestore();
    }
  });

  it('summarises per day once refreshed (concurrently), for administrators only', async () => {
    await recorder.maintain();
    const before = await obs.run(buildViewer('ADMIN'), SUMMARY, { days: 7 });
    const answersBefore = before.data?.eventSummary.counts
      .filter((c: any) => c.type === 'ai.analysis.complete')
      .reduce((sum: number, c: any) => sum + c.events, 0);
    for (const tokens of [10, 30]) {
      await recorder.record(
        createEvent(
          EventTypes.aiAnalysisComplete,
          { kind: 'bee.answer', userId: randomUUID(), tokensIn: tokens, tokensOut: 0 },
          { source: 'chat' },
        ),
      );
    }
    expect(await recorder.maintain()).toEqual({ refreshed: true, dropped: [] });
    const after = await obs.run(buildViewer('ADMIN'), SUMMARY, { days: 7 });
    expect(after.errors).toBeUndefined();
    const today = new Date().toISOString().slice(0, 10);
    const answers = after.data!.eventSummary.counts.filter(
      (c: any) => c.type === 'ai.analysis.complete' && c.day === today,
    );
    expect(answers.reduce((sum: number, c: any) => sum + c.events, 0)).toBe((answersBefore ?? 0) + 2);
    expect(answers.reduce((sum: number, c: any) => sum + c.amount, 0)).toBeGreaterThanOrEqual(240);
    expect(after.data!.eventSummary.since).toBe(
      new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10),
    );

    const member = await obs.run(buildViewer('MEMBER'), SUMMARY, { days: 7 });
    expect(member.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const tooMany = await obs.run(buildViewer('ADMIN'), SUMMARY, { days: 400 });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('drops the months older than the retention whole, keeping the recent ones', async () => {
    const old = new Date(Date.UTC(2025, 0, 15));
    await recorder.record({
      ...createEvent(EventTypes.launcherRestart, { process: 'chat' }, { source: 'launcher' }),
      timestamp: old.toISOString(),
    });
    expect(await rows(`occurred_at < ?`, [new Date(Date.UTC(2025, 1, 1))])).toHaveLength(1);
    // A report and a delivered webhook of that time go with it; recent ones stay.
    const table = (name: string) => `${schemaOf(em())}."${name}"`;
    for (const [id, created] of [
      [randomUUID(), old],
      [randomUUID(), new Date()],
    ] as const) {
      await em().execute(
        `insert into ${table('health_report')} ("id", "created_at", "period_from", "period_to", "report") values (?, ?, ?, ?, '{}')`,
        [id, created, created, created],
      );
      await em().execute(
        `insert into ${table('webhook_delivery')} ("url", "event_id", "event_type", "body", "created_at", "next_attempt_at", "delivered_at") values ('http://x', ?, 't', '{}', ?, ?, ?)`,
        [randomUUID(), created, created, created],
      );
    }
    const { dropped } = await recorder.maintain();
    expect(dropped).toEqual(['events_p202501']);
    for (const name of ['health_report', 'webhook_delivery']) {
      const kept = await em().execute<{ created_at: Date }[]>(`select "created_at" from ${table(name)}`);
      expect(kept).toHaveLength(1);
      expect(new Date(kept[0].created_at).getTime()).toBeGreaterThan(Date.UTC(2026, 0, 1));
    }
    expect(await rows(`occurred_at < ?`, [new Date(Date.UTC(2025, 1, 1))])).toHaveLength(0);
    expect((await rows()).length).toBeGreaterThan(0);
    // An event of that month arriving late makes its partition again rather than failing.
    await recorder.record({
      ...createEvent(EventTypes.launcherRestart, { process: 'chat' }, { source: 'launcher' }),
      timestamp: old.toISOString(),
    });
    expect(await rows(`occurred_at < ?`, [new Date(Date.UTC(2025, 1, 1))])).toHaveLength(1);
  });
});
