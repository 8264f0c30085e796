// The honey jar services on a real database: creation rules, changes by owner and admin, deletion with documents.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startTestRuntime, type TestRuntime } from '@sting/kit';
import { subgraph } from '../src/index.ts';
import { Document } from '../src/entities/document.ts';
import { HoneyJar } from '../src/entities/honey-jar.ts';
import { HoneyJarMember } from '../src/entities/honey-jar-member.ts';
import { findReadableJars } from '../src/domain/access.ts';
import { HoneyJarTopics } from '../src/domain/events.ts';
import {
  addHoneyJarMember,
  createHoneyJar,
  deleteHoneyJar,
  updateHoneyJar,
} from '../src/domain/honey-jars.ts';
import { addMember, buildDocument, buildHoneyJar, buildViewer, uniqueName } from './factories.ts';

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime(subgraph);
});
afterAll(async () => {
  await t.close();
});

const as = (viewer: Parameters<typeof findReadableJars>[0]['viewer']) => ({
  em: t.em(),
  viewer,
  bus: t.runtime.bus,
});

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
    const jar = await createHoneyJar(as(owner), { name: uniqueName() });
    const next = await events.next();
    await events.return();
    expect(next.value).toMatchObject({ honeyJarId: jar.id, actorId: owner.id });
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
  it('removes the jar, its documents and memberships together, leaving other jars alone', async () => {
    const owner = buildViewer();
    const jar = await buildHoneyJar(t.em(), owner, { type: 'TEAM' });
    const keep = await buildHoneyJar(t.em(), owner);
    await buildDocument(t.em(), jar);
    await buildDocument(t.em(), jar);
    const kept = await buildDocument(t.em(), keep);
    await addMember(t.em(), jar, buildViewer());

    expect(await deleteHoneyJar(as(owner), jar.id)).toBe(true);
    const em = t.em();
    expect(await em.count(HoneyJar, { id: jar.id })).toBe(0);
    expect(await em.count(Document, { honeyJar: jar.id })).toBe(0);
    expect(await em.count(HoneyJarMember, { honeyJar: jar.id })).toBe(0);
    expect(await em.count(Document, { id: kept.id })).toBe(1);
  });

  it('announces the deletion on the topic knowledge follows', async () => {
    const owner = buildViewer();
    const jar = await buildHoneyJar(t.em(), owner);
    // knowledge subscribes to this literal name (subgraphs/knowledge/src/domain/events.ts).
    expect(HoneyJarTopics.deleted).toBe('honey-jars.honey-jar.deleted');
    const events = await t.runtime.bus.subscribe<{ honeyJarId: string }>(HoneyJarTopics.deleted);
    await deleteHoneyJar(as(owner), jar.id);
    const next = await events.next();
    await events.return();
    expect(next.value).toMatchObject({ honeyJarId: jar.id, actorId: owner.id });
  });

  it('refuses everyone but the owner and admins', async () => {
    const owner = buildViewer();
    const jar = await buildHoneyJar(t.em(), owner, { type: 'PUBLIC' });
    expect((await codeOf(deleteHoneyJar(as(buildViewer()), jar.id))).code).toBe('FORBIDDEN');
    await expect(deleteHoneyJar(as(buildViewer('ADMIN')), jar.id)).resolves.toBe(true);
  });
});

describe('addHoneyJarMember', () => {
  it('gives a member read access to a RESTRICTED jar, once, however often it is granted', async () => {
    const owner = buildViewer();
    const member = buildViewer('VIEWER');
    const jar = await buildHoneyJar(t.em(), owner, { type: 'RESTRICTED' });
    expect(await findReadableJars(as(member), [jar.id])).toEqual([null]);
    await addHoneyJarMember(as(owner), jar.id, member.id);
    await addHoneyJarMember(as(owner), jar.id, member.id);
    expect((await findReadableJars(as(member), [jar.id]))[0]?.id).toBe(jar.id);
    expect(await t.em().count(HoneyJarMember, { honeyJar: jar.id })).toBe(1);
  });

  it('refuses members granting others access', async () => {
    const owner = buildViewer();
    const member = buildViewer();
    const jar = await buildHoneyJar(t.em(), owner, { type: 'TEAM' });
    await addMember(t.em(), jar, member);
    expect((await codeOf(addHoneyJarMember(as(member), jar.id, buildViewer().id))).code).toBe('FORBIDDEN');
  });
});
