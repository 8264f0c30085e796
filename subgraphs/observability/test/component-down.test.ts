// The component-down rule against a real PostgreSQL: a component failing N checks in a row raises one CRITICAL
// alert and an observability.health.failed event, the alert resolves itself when the component is back (also
// after a restart of the watch), and every up/down transition lands in systemStatus { history }. Two replicas
// checking in turn carry on from each other's checks (one transition per change, one alert, resolved once), and
// two replicas on their clocks check each round once, the other carrying on when one stops.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { OutboxEvent, Topics } from '@sting/kit';
import { Alert, ComponentTransition } from '../src/entities/index.ts';
import { componentDownFingerprint, HealthWatch } from '../src/domain/rules/component-down.ts';
import type { Probe } from '../src/domain/status/probe.ts';
import { buildViewer, startObservability, type ObservabilityHarness } from './harness.ts';
import { runReplicas } from './replicas.ts';

const HISTORY = `{ systemStatus { history { component kind up watched detail at } } }`;

describe('the component-down rule', () => {
  let obs: ObservabilityHarness;
  beforeAll(async () => {
    obs = await startObservability();
  });
  afterAll(async () => {
    await obs?.close();
  });

  /** A subgraph whose health the test switches; the database probe stays up. */
  const component = () => {
    const state = { up: true, name: `chat-${randomUUID().slice(0, 8)}` };
    const probe: Probe = {
      name: state.name,
      kind: 'SUBGRAPH',
      check: async () => (state.up ? { up: true } : { up: false, detail: 'connection refused' }),
    };
    return { state, probe };
  };
  const watch = (probe: Probe, settings: { intervalSeconds?: number; consecutiveChecks?: number } = {}) =>
    new HealthWatch({
      orm: obs.runtime.orm as never,
      probes: () => [probe],
      settings: { enabled: true, intervalSeconds: 30, consecutiveChecks: 2, ...settings },
      origin: 'observability',
    });
  const alertsOf = (name: string) =>
    obs
      .em()
      .fork()
      .find(Alert, { fingerprint: componentDownFingerprint(name) }, { orderBy: { createdAt: 'asc' } });
  const transitionsOf = async (name: string) =>
    (
      await obs
        .em()
        .fork()
        .find(ComponentTransition, { component: name }, { orderBy: { at: 'asc', id: 'asc' } })
    ).map((t) => t.up);
  const eventsAbout = (topic: string, name: string) =>
    obs
      .em()
      .fork()
      .count(OutboxEvent, { topic, envelope: { $contains: { payload: { component: name } } } } as never);

  it('raises one alert after N failed checks, counts none while it stays down, resolves when back', async () => {
    const { state, probe } = component();
    const rule = watch(probe);
    await rule.check();
    state.up = false;
    await rule.check();
    expect(await alertsOf(state.name)).toEqual([]);
    await rule.check();
    await rule.check();
    const [raised] = await alertsOf(state.name);
    expect(raised).toMatchObject({ state: 'OPEN', severity: 'CRITICAL', source: 'observability', count: 1 });
    expect(raised.message).toContain('connection refused');
    expect(await eventsAbout(Topics.observability.healthFailed, state.name)).toBe(1);

    state.up = true;
    await rule.check();
    const [resolved] = await alertsOf(state.name);
    expect(resolved).toMatchObject({ id: raised.id, state: 'RESOLVED', resolvedBy: null });

    const { data, errors } = await obs.run(buildViewer('ADMIN'), HISTORY);
    expect(errors).toBeUndefined();
    const mine = data.systemStatus.history.filter((t: { component: string }) => t.component === state.name);
    expect(mine.map((t: { up: boolean; detail: string | null }) => [t.up, t.detail])).toEqual([
      [true, null],
      [false, 'connection refused'],
      [true, null],
    ]);
  });

  it('marks the time nothing checked a component as not watched, rather than as its last state', async () => {
    const { state, probe } = component();
    const rule = watch(probe);
    await rule.check();
    await rule.check();
    // The platform stopped ten minutes ago (more than UNWATCHED_ROUNDS intervals of 30 s): no check ran since.
    const schema = `"${obs.runtime.orm.config.get('schema')}"`;
    for (const statement of [
      `update ${schema}."component_check" set "checked_at" = "checked_at" - interval '10 minutes',
         "since" = "since" - interval '10 minutes' where "component" = ?`,
      `update ${schema}."component_transition" set "at" = "at" - interval '10 minutes' where "component" = ?`,
    ])
      await obs.em().getConnection().execute(statement, [state.name]);
    await rule.check();
    const { data } = await obs.run(buildViewer('ADMIN'), HISTORY);
    const mine = data.systemStatus.history.filter((t: { component: string }) => t.component === state.name);
    expect(mine.map((t: { up: boolean; watched: boolean }) => [t.up, t.watched])).toEqual([
      [true, true],
      [true, false],
      [true, true],
    ]);
    // The stretch not watched runs from the last check before the stop to the first one after it.
    const [first, stopped, resumed] = mine.map((t: { at: string }) => Date.parse(t.at));
    expect(stopped - first).toBeLessThan(5000);
    expect(resumed - stopped).toBeGreaterThan(9 * 60_000);
    // Checks in a row go on as before: no transition without a change.
    await rule.check();
    expect(await transitionsOf(state.name)).toEqual([true, true, true]);
  });

  it('resolves an alert raised before a restart when the component is back', async () => {
    const { state, probe } = component();
    state.up = false;
    const before = watch(probe);
    await before.check();
    await before.check();
    expect((await alertsOf(state.name))[0].state).toBe('OPEN');

    state.up = true;
    await watch(probe).check();
    expect((await alertsOf(state.name))[0].state).toBe('RESOLVED');
  });

  it('shows the history to administrators only', async () => {
    const { state, probe } = component();
    await watch(probe).check();
    for (const role of ['MEMBER', 'VIEWER'] as const) {
      const { data, errors } = await obs.run(buildViewer(role), HISTORY);
      expect(errors).toBeUndefined();
      expect(data.systemStatus.history).toEqual([]);
    }
    const admin = await obs.run(buildViewer('ADMIN'), HISTORY);
    expect(admin.data.systemStatus.history.map((t: { component: string }) => t.component)).toContain(
      state.name,
    );
  });

  it('two replicas checking in turn: one transition per change, one alert, resolved once', async () => {
    const { state, probe } = component();
    const [a, b] = [watch(probe), watch(probe)];
    // Checks that meet (a slow round overlapping the next) are two checks, each change still recorded once.
    await Promise.all([a.check(), b.check()]);
    state.up = false;
    await b.check();
    expect(await alertsOf(state.name)).toEqual([]);
    await a.check(); // the second failed check in a row, the first one b's
    await Promise.all([a.check(), b.check()]);
    const [raised, ...others] = await alertsOf(state.name);
    expect(others).toEqual([]);
    expect(raised).toMatchObject({ state: 'OPEN', count: 1 });
    expect(await eventsAbout(Topics.observability.healthFailed, state.name)).toBe(1);

    state.up = true;
    await b.check();
    const [resolved] = await alertsOf(state.name);
    expect(resolved).toMatchObject({ id: raised.id, state: 'RESOLVED', count: 1 });
    await a.check();
    expect(await alertsOf(state.name)).toEqual([resolved]);
    expect(await transitionsOf(state.name)).toEqual([true, false, true]);
  });

  it('two replicas on their clocks check each round once; when one stops, the other carries on', async () => {
    const { state, probe } = component();
    state.up = false;
    const runs: [number, number] = [0, 0];
    const replica = (i: 0 | 1) => {
      // Each replica its own probe of the same component, counting the rounds it ran.
      const counted: Probe = { ...probe, check: (signal) => ((runs[i] += 1), probe.check(signal)) };
      return watch(counted, { intervalSeconds: 0.5, consecutiveChecks: 3 });
    };
    await runReplicas({
      replicas: [replica(0), replica(1)],
      runs: () => runs,
      intervalSeconds: 0.5,
      rounds: 4,
      afterStop: async () => {
        // Down for four checks in a row, whichever replica made them: one alert, raised on the third.
        const [raised, ...others] = await alertsOf(state.name);
        expect(others).toEqual([]);
        expect(raised).toMatchObject({ state: 'OPEN', count: 1 });
        expect(raised.message).toMatch(/^3 checks in a row failed/);
        state.up = true;
      },
      more: 2,
    });
    const [resolved, ...others] = await alertsOf(state.name);
    expect(others).toEqual([]);
    expect(resolved).toMatchObject({ state: 'RESOLVED', count: 1 });
    expect(await eventsAbout(Topics.observability.healthFailed, state.name)).toBe(1);
    expect(await transitionsOf(state.name)).toEqual([false, true]);
  });
});
