// Alerts' life cycle against a real PostgreSQL: acknowledge and resolve (administrators only, who and when),
// deduplication by fingerprint while unresolved, the filtered list with keyset paging, and the outbox event
// written only for a new alert.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { OutboxEvent, Topics } from '@sting/kit';
import { Alert } from '../src/entities/index.ts';
import { resolveByFingerprint } from '../src/domain/alerts.ts';
import { fingerprintOf } from '../src/domain/validation.ts';
import { buildAlert } from './factories.ts';
import { buildViewer, startObservability, type ObservabilityHarness } from './harness.ts';

const FIELDS = `id state count fingerprint lastSeenAt acknowledgedAt acknowledgedBy resolvedAt resolvedBy`;
const RAISE = `mutation ($input: RaiseAlertInput!) { raiseAlert(input: $input) { ${FIELDS} } }`;
const ACK = `mutation ($id: ID!) { acknowledgeAlert(id: $id) { ${FIELDS} } }`;
const RESOLVE = `mutation ($id: ID!) { resolveAlert(id: $id) { ${FIELDS} } }`;
const LIST = `query ($filter: AlertFilter, $first: Int, $after: String) {
  alerts(filter: $filter, first: $first, after: $after) { nodes { id title } pageInfo { hasNextPage endCursor } }
}`;
const admin = buildViewer('ADMIN');

describe('the alert life cycle', () => {
  let obs: ObservabilityHarness;
  beforeAll(async () => {
    obs = await startObservability();
  });
  afterAll(async () => {
    await obs?.close();
  });

  const raise = async (input: Record<string, unknown>) => {
    const { data, errors } = await obs.run(admin, RAISE, { input: { severity: 'WARNING', ...input } });
    expect(errors).toBeUndefined();
    return data.raiseAlert;
  };
  const announced = (id: string) =>
    obs
      .em()
      .count(OutboxEvent, { topic: Topics.observability.alertTriggered, envelope: { payload: { id } } });

  it('acknowledges then resolves an alert, saying who and when; repeating either changes nothing', async () => {
    const alert = await raise({ title: `Disk ${randomUUID()}` });
    expect(alert).toMatchObject({ state: 'OPEN', count: 1, acknowledgedAt: null, resolvedAt: null });

    const acked = (await obs.run(admin, ACK, { id: alert.id })).data.acknowledgeAlert;
    expect(acked).toMatchObject({
      state: 'ACKNOWLEDGED',
      acknowledgedBy: admin!.kind === 'user' && admin.id,
    });
    expect(acked.acknowledgedAt).not.toBeNull();
    expect((await obs.run(admin, ACK, { id: alert.id })).data.acknowledgeAlert).toEqual(acked);

    const resolved = (await obs.run(admin, RESOLVE, { id: alert.id })).data.resolveAlert;
    expect(resolved).toMatchObject({ state: 'RESOLVED', resolvedBy: acked.acknowledgedBy });
    expect(resolved.acknowledgedAt).toBe(acked.acknowledgedAt);
    const again = await obs.run(buildViewer('ADMIN'), RESOLVE, { id: alert.id });
    expect(again.data.resolveAlert).toEqual(resolved);
    // A resolved alert is not acknowledged after the fact.
    expect((await obs.run(admin, ACK, { id: alert.id })).data.acknowledgeAlert.state).toBe('RESOLVED');
  });

  it('lets only administrators acknowledge or resolve: members, viewers and the platform get FORBIDDEN', async () => {
    const alert = await raise({ title: `Queue ${randomUUID()}` });
    for (const viewer of [buildViewer('MEMBER'), buildViewer('VIEWER'), { kind: 'system' as const }]) {
      for (const mutation of [ACK, RESOLVE]) {
        const { data, errors } = await obs.run(viewer, mutation, { id: alert.id });
        expect(data).toBeNull();
        expect(errors?.[0].extensions?.code).toBe('FORBIDDEN');
      }
    }
    expect((await obs.run(null, ACK, { id: alert.id })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const row = await obs.em().fork().findOneOrFail(Alert, { id: alert.id });
    expect(row.state).toBe('OPEN');
  });

  it.each([
    ['an unknown id', randomUUID()],
    ['a malformed id', "1' or '1'='1"],
  ])('answers NOT_FOUND for %s', async (_case, id) => {
    for (const mutation of [ACK, RESOLVE]) {
      const { errors } = await obs.run(admin, mutation, { id });
      expect(errors?.[0].extensions?.code).toBe('NOT_FOUND');
    }
  });

  it('counts a repeat of an unresolved alert instead of storing and announcing another', async () => {
    const subject = `gateway-${randomUUID()}`;
    const input = { title: 'Gateway restarting', source: 'launcher', rule: 'gave-up', subject };
    const first = await raise(input);
    const acked = (await obs.run(admin, ACK, { id: first.id })).data.acknowledgeAlert;
    const second = await raise({ ...input, severity: 'CRITICAL', title: 'Gateway restarting again' });
    expect(second).toMatchObject({ id: first.id, count: 2, state: 'ACKNOWLEDGED' });
    expect(new Date(second.lastSeenAt).getTime()).toBeGreaterThanOrEqual(
      new Date(acked.lastSeenAt).getTime(),
    );
    expect(second.fingerprint).toBe(fingerprintOf('launcher', 'gave-up', subject));
    expect(await announced(first.id)).toBe(1);

    // Another subject is another alert; once resolved, the same fingerprint opens a new one.
    const other = await raise({ ...input, subject: `${subject}-b` });
    expect(other.id).not.toBe(first.id);
    await obs.run(admin, RESOLVE, { id: first.id });
    const reopened = await raise(input);
    expect(reopened).toMatchObject({ state: 'OPEN', count: 1 });
    expect(reopened.id).not.toBe(first.id);
    expect(await announced(reopened.id)).toBe(1);
  });

  it('counts every one of concurrent repeats on a single alert', async () => {
    const input = { title: 'Burst', rule: 'burst', subject: randomUUID() };
    const raised = await Promise.all(Array.from({ length: 8 }, () => raise(input)));
    expect(new Set(raised.map((a) => a.id)).size).toBe(1);
    const rows = await obs.em().fork().find(Alert, { fingerprint: raised[0].fingerprint });
    expect(rows.map((r) => r.count)).toEqual([8]);
  });

  it('resolves an alert automatically by fingerprint, with nobody as the resolver', async () => {
    const alert = await raise({ title: 'Down', rule: 'component-down', subject: randomUUID() });
    const resolved = await resolveByFingerprint(obs.em().fork(), alert.fingerprint);
    expect(resolved).toMatchObject({ id: alert.id, state: 'RESOLVED', resolvedBy: null });
    expect(await resolveByFingerprint(obs.em().fork(), alert.fingerprint)).toBeNull();
  });

  it.each([
    ['a rule over 100 characters', { rule: 'r'.repeat(101) }, 'rule'],
    ['an empty subject', { subject: ' ' }, 'subject'],
  ])('rejects %s', async (_case, extra, field) => {
    const { errors } = await obs.run(admin, RAISE, { input: { severity: 'INFO', title: 'ok', ...extra } });
    expect(errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
  });
});

describe('the alert list', () => {
  let obs: ObservabilityHarness;
  const source = `paging-${randomUUID().slice(0, 8)}`;
  const ids: string[] = [];
  beforeAll(async () => {
    obs = await startObservability();
    // Seven alerts a minute apart, two sharing one instant (the id breaks the tie), oldest first.
    const base = Date.UTC(2026, 0, 10, 12, 0, 0);
    const at = [0, 1, 2, 3, 3, 4, 5].map((m) => new Date(base + m * 60_000));
    for (const [i, createdAt] of at.entries()) {
      const row = await buildAlert(obs.em().fork(), {
        source,
        createdAt,
        title: `a${i}`,
        severity: i % 2 === 0 ? 'CRITICAL' : 'INFO',
        state: i === 6 ? 'RESOLVED' : 'OPEN',
      });
      ids.push(row.id);
    }
  });
  afterAll(async () => {
    await obs?.close();
  });

  const page = async (vars: Record<string, unknown>) => {
    const { data, errors } = await obs.run(admin, LIST, vars);
    expect(errors).toBeUndefined();
    return data.alerts;
  };

  it('pages newest first with opaque cursors, every alert once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let n = 0; n < 10; n++) {
      const result: any = await page({ filter: { source }, first: 3, after });
      seen.push(...result.nodes.map((a: { title: string }) => a.title));
      if (!result.pageInfo.hasNextPage) break;
      after = result.pageInfo.endCursor;
    }
    // a3 and a4 share an instant: the larger id comes first.
    const tied = ids[3] > ids[4] ? ['a3', 'a4'] : ['a4', 'a3'];
    expect(seen).toEqual(['a6', 'a5', ...tied, 'a2', 'a1', 'a0']);
  });

  it('filters by severity, state, source and time (since inclusive, until exclusive)', async () => {
    const titles = async (filter: Record<string, unknown>) =>
      (await page({ filter: { source, ...filter }, first: 50 })).nodes.map((a: { title: string }) => a.title);
    expect(await titles({ severity: 'CRITICAL' })).toEqual(['a6', 'a4', 'a2', 'a0']);
    expect(await titles({ state: 'RESOLVED' })).toEqual(['a6']);
    expect(await titles({ severity: 'CRITICAL', state: 'OPEN' })).toEqual(['a4', 'a2', 'a0']);
    expect(
      await titles({
        since: '2026-01-10T12:01:00.000Z',
        until: '2026-01-10T12:03:00.000Z',
        severity: 'INFO',
      }),
    ).toEqual(['a1']);
    expect(await titles({ source: `${source}-other` })).toEqual([]);
  });

  it.each([
    ['garbage', 'not a cursor'],
    [
      'a cursor with a non-UUID id',
      Buffer.from(JSON.stringify(['2026-01-01T00:00:00Z', 'x'])).toString('base64url'),
    ],
    [
      'a cursor with an impossible year',
      Buffer.from(JSON.stringify(['+275760-01-01T00:00:00Z', randomUUID()])).toString('base64url'),
    ],
  ])('rejects %s as after (BAD_USER_INPUT)', async (_case, after) => {
    const { errors } = await obs.run(admin, LIST, { after });
    expect(errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('rejects a source filter over 100 characters', async () => {
    const long = await obs.run(admin, LIST, { filter: { source: 's'.repeat(101) } });
    expect(long.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'source' });
  });

  it('refuses members (FORBIDDEN)', async () => {
    const { errors } = await obs.run(buildViewer('MEMBER'), LIST, {});
    expect(errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
