// Alerts against a real PostgreSQL and both real buses: who may raise and read them, validation, and the live
// feed filtered by severity that frees its bus listener when closed.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { parse, subscribe, type ExecutionResult } from 'graphql';
import { createEvent, createSubgraphContext, EventTypes, Topics, type Viewer } from '@sting/kit';
import { buildAlert } from './factories.ts';
import { buildViewer, createBus, startObservability, type ObservabilityHarness } from './harness.ts';

const RAISE = `mutation ($input: RaiseAlertInput!) {
  raiseAlert(input: $input) { id severity title message source createdAt }
}`;
const admin = buildViewer('ADMIN');

describe('raiseAlert and alerts', () => {
  let obs: ObservabilityHarness;
  beforeAll(async () => {
    obs = await startObservability();
  });
  afterAll(async () => {
    await obs?.close();
  });

  it('lets an administrator raise an alert, stored and listed newest first', async () => {
    const first = await obs.run(admin, RAISE, { input: { severity: 'WARNING', title: ' Disk 85% full ' } });
    expect(first.errors).toBeUndefined();
    expect(first.data.raiseAlert).toMatchObject({
      severity: 'WARNING',
      title: 'Disk 85% full',
      message: null,
      source: 'manual',
    });
    const second = await obs.run(admin, RAISE, {
      input: {
        severity: 'CRITICAL',
        title: 'Chroma unreachable',
        message: 'heartbeat refused',
        source: 'knowledge',
      },
    });
    expect(second.data.raiseAlert).toMatchObject({ message: 'heartbeat refused', source: 'knowledge' });

    const { data, errors } = await obs.run(admin, `{ alerts(first: 2) { nodes { id title } } }`);
    expect(errors).toBeUndefined();
    expect(data.alerts.nodes).toEqual([
      { id: second.data.raiseAlert.id, title: 'Chroma unreachable' },
      { id: first.data.raiseAlert.id, title: 'Disk 85% full' },
    ]);
  });

  it('refuses members and viewers (FORBIDDEN) and anonymous requests (UNAUTHENTICATED), storing nothing', async () => {
    const title = `not allowed ${randomUUID()}`;
    for (const viewer of [buildViewer('MEMBER'), buildViewer('VIEWER')]) {
      const { data, errors } = await obs.run(viewer, RAISE, { input: { severity: 'INFO', title } });
      expect(data).toBeNull();
      expect(errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const list = await obs.run(viewer, `{ alerts { nodes { id } } }`);
      expect(list.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    const anonymous = await obs.run(null, RAISE, { input: { severity: 'INFO', title } });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const { data } = await obs.run(admin, `{ alerts(first: 500) { nodes { title } } }`);
    expect(data.alerts.nodes.map((a: { title: string }) => a.title)).not.toContain(title);
  });

  it.each([
    ['an empty title', { severity: 'INFO', title: '  ' }, 'title'],
    ['a title over 200 characters', { severity: 'INFO', title: 't'.repeat(201) }, 'title'],
    [
      'a message over 4000 characters',
      { severity: 'INFO', title: 'ok', message: 'm'.repeat(4001) },
      'message',
    ],
    ['an empty source', { severity: 'INFO', title: 'ok', source: ' ' }, 'source'],
    ['a source over 100 characters', { severity: 'INFO', title: 'ok', source: 's'.repeat(101) }, 'source'],
  ])('rejects %s', async (_case, input, field) => {
    const { errors } = await obs.run(admin, RAISE, { input });
    expect(errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });

  it('resolves an alert reference for an administrator, null for an unknown or malformed id', async () => {
    const stored = await buildAlert(obs.em(), { severity: 'CRITICAL', title: 'Chroma down' });
    const ENTITIES = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Alert { id title severity } } }`;
    const reps = [stored.id, randomUUID(), 'not-an-id'].map((id) => ({ __typename: 'Alert', id }));
    const { data, errors } = await obs.run(admin, ENTITIES, { r: reps });
    expect(errors).toBeUndefined();
    expect(data._entities).toEqual([
      { id: stored.id, title: 'Chroma down', severity: 'CRITICAL' },
      null,
      null,
    ]);
  });

  it('rejects an out-of-range page size', async () => {
    const { errors } = await obs.run(admin, `{ alerts(first: 501) { nodes { id } } }`);
    expect(errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});

const FEED = parse(
  `subscription ($min: AlertSeverity) { alertRaised(minSeverity: $min) { title severity createdAt } }`,
);

describe.each(['in-process', 'redis'] as const)('alertRaised on the %s bus', (busKind) => {
  let obs: ObservabilityHarness;
  beforeAll(async () => {
    obs = await startObservability({ bus: createBus(busKind) });
  });
  afterAll(async () => {
    await obs?.close();
  });

  const open = (viewer: Viewer | null, min?: string) =>
    subscribe({
      schema: obs.schema,
      document: FEED,
      variableValues: { min },
      contextValue: createSubgraphContext(obs.module, obs.runtime, { viewer, requestId: randomUUID() }),
    });
  const raise = (severity: string, title: string) => obs.run(admin, RAISE, { input: { severity, title } });

  it('delivers only alerts at or above minSeverity, then frees the listener on return', async () => {
    const before = obs.runtime.bus.listenerCount();
    const warnings = await open(admin, 'WARNING');
    const everything = await open(admin);
    if (!(Symbol.asyncIterator in warnings) || !(Symbol.asyncIterator in everything))
      throw new Error('expected feeds');
    expect(obs.runtime.bus.listenerCount()).toBe(before + 2);

    await raise('INFO', 'backup finished');
    await raise('CRITICAL', 'database unreachable');
    await raise('WARNING', 'slow embeddings');

    const titles = async (feed: AsyncGenerator<ExecutionResult<any>>, n: number) => {
      const seen: string[] = [];
      for (let i = 0; i < n; i++)
        seen.push(((await feed.next()).value as ExecutionResult<any>).data!.alertRaised.title);
      return seen;
    };
    expect(await titles(warnings as AsyncGenerator<ExecutionResult<any>>, 2)).toEqual([
      'database unreachable',
      'slow embeddings',
    ]);
    expect(await titles(everything as AsyncGenerator<ExecutionResult<any>>, 3)).toEqual([
      'backup finished',
      'database unreachable',
      'slow embeddings',
    ]);

    // Closing while a read is pending must free the listener at once, not after the next alert.
    const pending = warnings.next();
    await warnings.return?.();
    await everything.return?.();
    expect(obs.runtime.bus.listenerCount()).toBe(before);
    expect(await pending).toEqual({ value: undefined, done: true });
  });

  it('reads an alert the launcher put straight on the bus (no life cycle fields) as a new OPEN alert', async () => {
    const FULL = parse(`subscription { alertRaised { id title state count fingerprint lastSeenAt } }`);
    const feed = await subscribe({
      schema: obs.schema,
      document: FULL,
      contextValue: createSubgraphContext(obs.module, obs.runtime, {
        viewer: admin,
        requestId: randomUUID(),
      }),
    });
    if (!(Symbol.asyncIterator in feed)) throw new Error('expected a feed');
    const createdAt = new Date().toISOString();
    const view = {
      id: randomUUID(),
      severity: 'CRITICAL',
      title: 'chat gave up',
      message: null,
      source: 'launcher',
      createdAt,
    };
    await obs.runtime.bus.publish(
      Topics.observability.alertTriggered,
      createEvent(EventTypes.alertTriggered, view, { source: 'launcher', correlationId: randomUUID() }),
    );
    const next = (await feed.next()).value as ExecutionResult<any>;
    expect(next.errors).toBeUndefined();
    expect(next.data!.alertRaised).toMatchObject({
      id: view.id,
      state: 'OPEN',
      count: 1,
      lastSeenAt: createdAt,
    });
    await feed.return?.();
  });

  it('refuses anyone but administrators at subscribe time', async () => {
    const before = obs.runtime.bus.listenerCount();
    const member = (await open(buildViewer('MEMBER'))) as ExecutionResult;
    expect(member.errors?.[0].originalError?.name).toBe('ForbiddenError');
    const anonymous = (await open(null)) as ExecutionResult;
    expect(anonymous.errors?.[0].originalError?.name).toBe('UnauthenticatedError');
    expect(obs.runtime.bus.listenerCount()).toBe(before);
  });
});
