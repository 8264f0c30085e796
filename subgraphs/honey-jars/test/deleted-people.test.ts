// A deleted person's honey jars on identity's user.deleted event, against a real database: transferred to the
// person named (renamed when the new owner has a jar by that name) or deleted, their memberships of other jars
// removed, each change announced by the usual honeyjar.* events; the same event twice changes nothing.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createEvent, OutboxEvent, Topics, type UserDeletedEvent } from '@sting/kit';
import { startTestRuntime, waitFor, type TestRuntime } from '@sting/kit/testing';
import { subgraph } from '../src/index.ts';
import { HoneyJar } from '../src/entities/honey-jar.ts';
import { HoneyJarMember } from '../src/entities/honey-jar-member.ts';
import { applyUserDeletion } from '../src/domain/deleted-people.ts';
import { addMember, buildHoneyJar, buildViewer } from './factories.ts';

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime(subgraph);
  await subgraph.onStart!(t.runtime);
});
afterAll(async () => {
  await t.close();
});

async function eventsOf(jarIds: string[]) {
  const rows = await t.em().find(OutboxEvent, {}, { orderBy: { seq: 'asc' } });
  return rows
    .map((r) => ({ topic: r.topic, payload: r.envelope.payload as { honeyJarId: string; userId?: string } }))
    .filter((e) => jarIds.includes(e.payload.honeyJarId))
    .map((e) => `${e.topic} ${e.payload.honeyJarId}${e.payload.userId ? ` ${e.payload.userId}` : ''}`);
}

const announce = (event: UserDeletedEvent) =>
  t.runtime.bus.publish(
    Topics.identity.userDeleted,
    createEvent(Topics.identity.userDeleted, event, { source: 'identity', metadata: { actorId: null } }),
  );

describe('user.deleted in honey-jars', () => {
  it('transfers the jars to the person named, renaming a clash, and drops the deleted person’s memberships', async () => {
    const leaver = buildViewer();
    const heir = buildViewer();
    const neighbour = buildViewer();
    const first = await buildHoneyJar(t.em(), leaver, { name: 'Research', type: 'TEAM' });
    const second = await buildHoneyJar(t.em(), leaver, { name: 'Notes' });
    await buildHoneyJar(t.em(), heir, { name: 'Research' });
    await addMember(t.em(), first, heir);
    const shared = await buildHoneyJar(t.em(), neighbour, { type: 'TEAM' });
    await addMember(t.em(), shared, leaver);

    await announce({ userId: leaver.id, honeyJars: 'TRANSFER', transferTo: heir.id });
    await waitFor(async () => (await t.em().count(HoneyJar, { ownerId: leaver.id })) === 0);
    await waitFor(async () => (await t.em().count(HoneyJarMember, { userId: leaver.id })) === 0);

    const moved = await t
      .em()
      .find(HoneyJar, { id: { $in: [first.id, second.id] } }, { orderBy: { name: 'asc' } });
    expect(moved.map((j) => [j.name, j.ownerId])).toEqual([
      ['Notes', heir.id],
      ['Research (transferred 2)', heir.id],
    ]);
    // The heir owns the jar now: no membership of their own left in it.
    expect(await t.em().count(HoneyJarMember, { honeyJar: first.id })).toBe(0);
    expect(await eventsOf([first.id, second.id, shared.id])).toEqual(
      expect.arrayContaining([
        `honeyjar.updated ${first.id}`,
        `honeyjar.updated ${second.id}`,
        `honeyjar.member_removed ${shared.id} ${leaver.id}`,
      ]),
    );
  });

  it('deletes the jars (with their members) through the jar deletion, announcing each', async () => {
    const leaver = buildViewer();
    const member = buildViewer();
    const kept = buildViewer();
    const team = await buildHoneyJar(t.em(), leaver, { type: 'TEAM' });
    await addMember(t.em(), team, member);
    const own = await buildHoneyJar(t.em(), leaver);
    const other = await buildHoneyJar(t.em(), kept);

    await announce({ userId: leaver.id, honeyJars: 'DELETE' });
    await waitFor(async () => (await t.em().count(HoneyJar, { ownerId: leaver.id })) === 0);
    expect(await t.em().count(HoneyJarMember, { honeyJar: team.id })).toBe(0);
    expect(await t.em().count(HoneyJar, { id: other.id })).toBe(1);
    expect(await eventsOf([team.id, own.id])).toEqual(
      expect.arrayContaining([`honeyjar.deleted ${team.id}`, `honeyjar.deleted ${own.id}`]),
    );
  });

  it('changes nothing when the same event comes again', async () => {
    const leaver = buildViewer();
    const heir = buildViewer();
    const jar = await buildHoneyJar(t.em(), leaver);
    const event: UserDeletedEvent = { userId: leaver.id, honeyJars: 'TRANSFER', transferTo: heir.id };
    await applyUserDeletion(t.em(), event);
    await applyUserDeletion(t.em(), event);
    expect((await t.em().findOneOrFail(HoneyJar, { id: jar.id })).ownerId).toBe(heir.id);
    expect((await eventsOf([jar.id])).filter((e) => e.startsWith('honeyjar.updated'))).toHaveLength(1);
  });
});
