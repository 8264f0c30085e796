// The honey jar services on a real database: creation rules, changes by owner and admin, deletion.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { InProcessEventBus, OutboxRelay, Topics, type EventEnvelope } from '@sting/kit';
import { startTestRuntime, waitFor, within, type TestRuntime } from '@sting/kit/testing';
import { subgraph } from '../src/index.ts';
import { HoneyJar } from '../src/entities/honey-jar.ts';
import { HoneyJarMember } from '../src/entities/honey-jar-member.ts';
import { findReadableJars } from '../src/domain/access.ts';
import { HoneyJarTopics } from '../src/domain/events.ts';
import type { PeopleDirectory } from '../src/domain/people.ts';
import {
  addHoneyJarMember,
  createHoneyJar,
  deleteHoneyJar,
  updateHoneyJar,
} from '../src/domain/honey-jars.ts';
import { addMember, buildHoneyJar, buildViewer, uniqueName } from './factories.ts';

/** The next event about `honeyJarId` (events of earlier tests may still be on their way). */
async function eventAbout<P extends { honeyJarId: string }>(
  events: AsyncIterator<EventEnvelope<P>>,
  honeyJarId: string,
) {
  for (;;) {
    const next = await within(events.next(), 5000, `an event about ${honeyJarId}`);
    if (next.done) throw new Error('the subscription ended');
    if (next.value.payload.honeyJarId === honeyJarId) return next.value;
  }
}

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime(subgraph);
});
afterAll(async () => {
  await t.close();
});

const as = (viewer: Parameters<typeof findReadableJars>[0]['viewer']) => ({ em: t.em(), viewer });

async function codeOf(run: Promise<unknown>): Promise<{ code?: string; field?: unknown }> {
  try {
    await run;
  } catch (err) {
    const e = err as { code?: string; details?: { field?: unknown } };
    return { code: e.code, field: e.details?.field };
  }
  return {};
}

describe('createHoneyJar', () => {
  it('creates a private jar owned by the viewer, trimming the name and dropping repeated tags', async () => {
    const owner = buildViewer();
    const name = uniqueName();
    const jar = await createHoneyJar(as(owner), { name: `  ${name}  `, tags: ['bees', ' bees ', 'wax'] });
    const stored = await t.em().findOneOrFail(HoneyJar, { id: jar.id });
    expect(stored).toMatchObject({
      name,
      ownerId: owner.id,
      type: 'PRIVATE',
      status: 'ACTIVE',
      tags: ['bees', 'wax'],
    });
  });

  it('refuses VIEWERs and anonymous callers', async () => {
    expect(await codeOf(createHoneyJar(as(buildViewer('VIEWER')), { name: uniqueName() }))).toEqual({
      code: 'FORBIDDEN',
    });
    expect((await codeOf(createHoneyJar(as(null), { name: uniqueName() }))).code).toBe('UNAUTHENTICATED');
  });

  it('refuses a name or tag with a control or text-direction override character, which could pass for another', async () => {
    const owner = as(buildViewer());
    expect(await codeOf(createHoneyJar(owner, { name: 'Payroll\u202e2024' }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'name',
    });
    expect(await codeOf(createHoneyJar(owner, { name: 'Payroll\u0007' }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'name',
    });
    expect(await codeOf(createHoneyJar(owner, { name: uniqueName(), tags: ['ok', 'a\u2066b'] }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'tags',
    });
  });

  it('refuses a name or tag that shows nothing: zero-width spaces, a byte-order mark, a Hangul filler', async () => {
    const owner = as(buildViewer());
    for (const name of ['\u200b\u200b', ' \u200d\u2060 ', '\u3164']) {
      await expect(createHoneyJar(owner, { name })).rejects.toThrow('Name must contain a visible character');
      expect(await codeOf(createHoneyJar(owner, { name }))).toEqual({
        code: 'BAD_USER_INPUT',
        field: 'name',
      });
    }
    expect(await codeOf(createHoneyJar(owner, { name: uniqueName(), tags: ['\u2060'] }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'tags',
    });
    // A joiner inside a name is part of how it is written (an emoji sequence, a Persian word).
    const family = `${uniqueName()} \u{1f469}\u200d\u{1f467}`;
    await expect(createHoneyJar(owner, { name: family })).resolves.toMatchObject({ name: family });
  });

  it('keeps names unique per owner, but two owners may share one', async () => {
    const [a, b] = [buildViewer(), buildViewer()];
    const name = uniqueName();
    await createHoneyJar(as(a), { name });
    expect(await codeOf(createHoneyJar(as(a), { name: ` ${name}` }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'name',
    });
    await expect(createHoneyJar(as(b), { name })).resolves.toMatchObject({ name, ownerId: b.id });
  });

  it('publishes an event once the jar is stored', async () => {
    const owner = buildViewer();
    const events = await t.runtime.bus.subscribe<{ honeyJarId: string }>(HoneyJarTopics.created);
    const jar = await createHoneyJar({ ...as(owner), requestId: 'req-create' }, { name: uniqueName() });
    const event = await eventAbout(events, jar.id);
    await events.return();
    expect(event).toMatchObject({
      type: 'honeyjar.created',
      source: 'honey-jars',
      correlation_id: 'req-create',
      metadata: { actorId: owner.id },
      payload: { honeyJarId: jar.id, actorId: owner.id },
    });
  });
});

describe('updateHoneyJar', () => {
  it('lets the owner and an admin change fields; null clears the description', async () => {
    const owner = buildViewer();
    const jar = await createHoneyJar(as(owner), { name: uniqueName(), description: 'old' });
    await updateHoneyJar(as(owner), jar.id, { type: 'PUBLIC', description: null, tags: ['x'] });
    await updateHoneyJar(as(buildViewer('ADMIN')), jar.id, { status: 'ARCHIVED' });
    const stored = await t.em().findOneOrFail(HoneyJar, { id: jar.id });
    expect(stored).toMatchObject({ type: 'PUBLIC', description: null, tags: ['x'], status: 'ARCHIVED' });
  });

  it('answers FORBIDDEN to a reader who is not the owner, NOT_FOUND to one who cannot see the jar', async () => {
    const owner = buildViewer();
    const member = buildViewer();
    const team = await buildHoneyJar(t.em(), owner, { type: 'TEAM' });
    await addMember(t.em(), team, member);
    expect((await codeOf(updateHoneyJar(as(member), team.id, { name: 'mine now' }))).code).toBe('FORBIDDEN');
    const hidden = await buildHoneyJar(t.em(), owner, { type: 'PRIVATE' });
    expect((await codeOf(updateHoneyJar(as(member), hidden.id, { name: 'mine now' }))).code).toBe(
      'NOT_FOUND',
    );
    expect((await t.em().findOneOrFail(HoneyJar, { id: team.id })).name).toBe(team.name);
  });

  it.each(['PRIVATE', 'PUBLIC'] as const)(
    'ends the memberships of a jar made %s, each announced, so sharing it again gives nobody access back',
    async (type) => {
      const owner = buildViewer();
      const [one, two] = [buildViewer(), buildViewer()];
      const jar = await buildHoneyJar(t.em(), owner, { type: 'TEAM' });
      await addMember(t.em(), jar, one);
      await addMember(t.em(), jar, two);
      const events = await t.runtime.bus.subscribe<{ honeyJarId: string; userId: string }>(
        HoneyJarTopics.memberRemoved,
      );
      await updateHoneyJar(as(owner), jar.id, { type });
      const removed = [
        (await eventAbout(events, jar.id)).payload,
        (await eventAbout(events, jar.id)).payload,
      ];
      await events.return();
      expect(removed.map((p) => p.userId).sort()).toEqual([one.id, two.id].sort());
      expect(await t.em().count(HoneyJarMember, { honeyJar: jar.id })).toBe(0);
      await updateHoneyJar(as(owner), jar.id, { type: 'TEAM' });
      expect(await findReadableJars(as(one), [jar.id])).toEqual([null]);
    },
  );

  it('keeps the members of a jar moved between TEAM and RESTRICTED', async () => {
    const owner = buildViewer();
    const member = buildViewer();
    const jar = await buildHoneyJar(t.em(), owner, { type: 'TEAM' });
    await addMember(t.em(), jar, member);
    await updateHoneyJar(as(owner), jar.id, { type: 'RESTRICTED' });
    expect((await findReadableJars(as(member), [jar.id]))[0]?.id).toBe(jar.id);
  });

  it("refuses a rename onto another of the owner's jars", async () => {
    const owner = buildViewer();
    const first = await buildHoneyJar(t.em(), owner);
    const second = await buildHoneyJar(t.em(), owner);
    expect(await codeOf(updateHoneyJar(as(owner), second.id, { name: first.name }))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'name',
    });
  });
});

describe('deleteHoneyJar', () => {
  it('removes the jar and its memberships together, leaving other jars alone', async () => {
    const owner = buildViewer();
    const jar = await buildHoneyJar(t.em(), owner, { type: 'TEAM' });
    const keep = await buildHoneyJar(t.em(), owner);
    await addMember(t.em(), jar, buildViewer());

    expect(await deleteHoneyJar(as(owner), jar.id)).toBe(true);
    const em = t.em();
    expect(await em.count(HoneyJar, { id: jar.id })).toBe(0);
    expect(await em.count(HoneyJarMember, { honeyJar: jar.id })).toBe(0);
    expect(await em.count(HoneyJar, { id: keep.id })).toBe(1);
  });

  it('announces the deletion on the topic knowledge follows', async () => {
    const owner = buildViewer();
    const jar = await buildHoneyJar(t.em(), owner);
    // knowledge follows the same registry entry.
    expect(HoneyJarTopics.deleted).toBe(Topics.honeyJar.deleted);
    const events = await t.runtime.bus.subscribe<{ honeyJarId: string }>(HoneyJarTopics.deleted);
    await deleteHoneyJar(as(owner), jar.id);
    const event = await eventAbout(events, jar.id);
    await events.return();
    expect(event).toMatchObject({
      type: 'honeyjar.deleted',
      payload: { honeyJarId: jar.id, actorId: owner.id },
    });
  });

  it('refuses everyone but the owner and admins', async () => {
    const owner = buildViewer();
    const jar = await buildHoneyJar(t.em(), owner, { type: 'PUBLIC' });
    expect((await codeOf(deleteHoneyJar(as(buildViewer()), jar.id))).code).toBe('FORBIDDEN');
    await expect(deleteHoneyJar(as(buildViewer('ADMIN')), jar.id)).resolves.toBe(true);
  });
});

describe('addHoneyJarMember', () => {
  /** Identity's people as honey-jars sees them: those the test made exist, nobody else. */
  const known = new Set<string>();
  const people: PeopleDirectory = { exists: async (id) => known.has(id) };
  const person = (role?: Parameters<typeof buildViewer>[0]) => {
    const viewer = buildViewer(role);
    known.add(viewer.id);
    return viewer;
  };

  it('gives a member read access to a RESTRICTED jar, once, however often it is granted', async () => {
    const owner = buildViewer();
    const member = person('VIEWER');
    const jar = await buildHoneyJar(t.em(), owner, { type: 'RESTRICTED' });
    expect(await findReadableJars(as(member), [jar.id])).toEqual([null]);
    await addHoneyJarMember(as(owner), jar.id, member.id, people);
    await addHoneyJarMember(as(owner), jar.id, member.id, people);
    expect((await findReadableJars(as(member), [jar.id]))[0]?.id).toBe(jar.id);
    expect(await t.em().count(HoneyJarMember, { honeyJar: jar.id })).toBe(1);
  });

  it('refuses members granting others access', async () => {
    const owner = buildViewer();
    const member = buildViewer();
    const jar = await buildHoneyJar(t.em(), owner, { type: 'TEAM' });
    await addMember(t.em(), jar, member);
    expect((await codeOf(addHoneyJarMember(as(member), jar.id, person().id, people))).code).toBe('FORBIDDEN');
  });

  it.each(['PRIVATE', 'PUBLIC'] as const)(
    'refuses members on a %s jar with BAD_USER_INPUT, writing nothing',
    async (type) => {
      const owner = buildViewer();
      const jar = await buildHoneyJar(t.em(), owner, { type });
      const attempt = addHoneyJarMember(as(owner), jar.id, person().id, people);
      await expect(attempt).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        message: expect.stringContaining(`A ${type} honey jar has no members`),
      });
      expect(await t.em().count(HoneyJarMember, { honeyJar: jar.id })).toBe(0);
    },
  );

  it('refuses a person identity does not know with BAD_USER_INPUT naming userId, writing nothing', async () => {
    const owner = buildViewer();
    const jar = await buildHoneyJar(t.em(), owner, { type: 'TEAM' });
    const nobody = buildViewer().id;
    expect(await codeOf(addHoneyJarMember(as(owner), jar.id, nobody, people))).toEqual({
      code: 'BAD_USER_INPUT',
      field: 'userId',
    });
    expect(await t.em().count(HoneyJarMember, { honeyJar: jar.id })).toBe(0);
  });

  it('asks an anonymous caller to sign in before looking at the jar or the person', async () => {
    const jar = await buildHoneyJar(t.em(), buildViewer(), { type: 'TEAM' });
    const asked: string[] = [];
    const watching: PeopleDirectory = { exists: async (id) => (asked.push(id), true) };
    for (const id of [jar.id, '00000000-0000-4000-8000-000000000000'])
      expect((await codeOf(addHoneyJarMember(as(null), id, person().id, watching))).code).toBe(
        'UNAUTHENTICATED',
      );
    expect(asked).toEqual([]);
  });
});

describe('anonymous changes', () => {
  it('answer UNAUTHENTICATED, not NOT_FOUND, for update and delete, whether the jar exists or not', async () => {
    const jar = await buildHoneyJar(t.em(), buildViewer(), { type: 'PUBLIC' });
    for (const id of [jar.id, '00000000-0000-4000-8000-000000000000']) {
      expect((await codeOf(updateHoneyJar(as(null), id, { name: 'taken' }))).code).toBe('UNAUTHENTICATED');
      expect((await codeOf(deleteHoneyJar(as(null), id))).code).toBe('UNAUTHENTICATED');
    }
    expect((await t.em().findOneOrFail(HoneyJar, { id: jar.id })).name).toBe(jar.name);
  });
});

/** A real in-process bus whose publishing can be switched off, as when Redis is unreachable. */
class SwitchableBus extends InProcessEventBus {
  down = false;
  override async publish<T>(topic: string, event: EventEnvelope<T>): Promise<void> {
    if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
    return super.publish(topic, event);
  }
}

describe('events through the outbox', () => {
  let o: TestRuntime;
  let bus: SwitchableBus;
  beforeAll(async () => {
    bus = new SwitchableBus();
    o = await startTestRuntime(subgraph, { bus });
  });
  afterAll(async () => {
    await o.close();
  });
  const asOwner = (viewer: ReturnType<typeof buildViewer>) => ({ em: o.em(), viewer });

  it('answers a committed change with success while the bus is down, and delivers its event once it is back', async () => {
    const owner = buildViewer();
    const events = await bus.subscribe<{ honeyJarId: string }>(Topics.honeyJar.created);
    bus.down = true;
    const jar = await createHoneyJar(asOwner(owner), { name: uniqueName() });
    expect(await o.em().count(HoneyJar, { id: jar.id })).toBe(1);
    const unsent = () =>
      o
        .em()
        .getConnection()
        .execute<{ attempts: number }[]>(
          `select attempts from "${o.orm.config.get('schema')}"."outbox_event" where sent_at is null`,
        );
    await waitFor(async () => (await unsent()).some((row) => Number(row.attempts) > 0), {
      what: 'a failed relay attempt',
    });
    expect(await o.runtime.outbox.pending()).toBe(1);
    bus.down = false;
    const delivered = await eventAbout(events, jar.id);
    await events.return();
    expect(delivered).toMatchObject({ type: 'honeyjar.created', payload: { honeyJarId: jar.id } });
    await waitFor(async () => (await o.runtime.outbox.pending()) === 0);
  });

  it('keeps an event committed while no relay runs, and a relay started later (a restart) delivers it', async () => {
    const owner = buildViewer();
    await o.runtime.outbox.stop();
    const jar = await createHoneyJar(asOwner(owner), { name: uniqueName() });
    await deleteHoneyJar(asOwner(owner), jar.id);
    expect(await o.runtime.outbox.pending()).toBe(2);
    const created = await bus.subscribe<{ honeyJarId: string }>(Topics.honeyJar.created);
    const deleted = await bus.subscribe<{ honeyJarId: string }>(Topics.honeyJar.deleted);
    // A fresh relay over the same schema, as the restarted process would have.
    const restarted = new OutboxRelay(o.orm, bus).start();
    try {
      const first = await eventAbout(created, jar.id);
      const second = await eventAbout(deleted, jar.id);
      expect([first.payload.honeyJarId, second.payload.honeyJarId]).toEqual([jar.id, jar.id]);
      expect(Date.parse(first.timestamp)).toBeLessThanOrEqual(Date.parse(second.timestamp));
      await waitFor(async () => (await o.runtime.outbox.pending()) === 0);
    } finally {
      await restarted.stop();
      await Promise.all([created.return(), deleted.return()]);
      o.runtime.outbox.start();
    }
  });

  it('writes nothing, event included, when the change itself fails', async () => {
    const owner = buildViewer();
    const name = uniqueName();
    await createHoneyJar(asOwner(owner), { name });
    await waitFor(async () => (await o.runtime.outbox.pending()) === 0);
    await expect(createHoneyJar(asOwner(owner), { name })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await o.runtime.outbox.pending()).toBe(0);
    expect(await o.em().count(HoneyJar, { ownerId: owner.id })).toBe(1);
  });
});
