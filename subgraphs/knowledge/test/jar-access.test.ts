// Knowledge's read model of jar access: every rule allowed and denied, the SQL filter checked against the rules
// on real rows, the model settling on the latest state whatever order honey-jars' facts arrive in, and honey-jars
// asked, as the person, which of search's jars they may still read.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { ApiKeyScope, SubgraphPeers, SubgraphRequest, Viewer } from '@sting/kit';
import { startTestRuntime, type TestRuntime } from '@sting/kit/testing';
import { JarTypes, type JarType } from '../src/entities/jar-access.ts';
import { canRead, canUpload, jarFacts, readableJarIds } from '../src/domain/jar-access/access.ts';
import { can, uploadMode, type JarAccessFacts } from '../src/domain/jar-access/policies.ts';
import {
  applyJarDeletion,
  applyJarState,
  applyMembership,
  applySnapshotPage,
  finishSnapshot,
} from '../src/domain/jar-access/read-model.ts';
import {
  CATCH_UP,
  jarFactsCaughtUp,
  jarsReadableNow,
  withoutJarsNoLongerReadable,
} from '../src/domain/jar-access/readable-now.ts';
import { subgraph } from '../src/index.ts';
import { buildJar, buildViewer, RELATIONS, viewerFor } from './factories.ts';

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime(subgraph);
});
afterAll(async () => {
  await t.close();
});

const owner = buildViewer('MEMBER');
const JAR_ID = randomUUID();
const facts = (type: JarType, isMember = false, status = 'ACTIVE'): JarAccessFacts => ({
  jar: { honeyJarId: JAR_ID, ownerId: owner.id, type, status },
  isMember,
});

describe('rules', () => {
  it('read: PUBLIC to every signed-in user; PRIVATE to owner and admins; TEAM/RESTRICTED adds members', () => {
    const admin = buildViewer('ADMIN');
    const other = buildViewer('MEMBER');
    const reader = buildViewer('VIEWER');
    for (const type of JarTypes) {
      expect(can(owner, 'read', facts(type))).toBe(true);
      expect(can(admin, 'read', facts(type))).toBe(true);
      expect(can({ kind: 'system' }, 'read', facts(type))).toBe(true);
      expect(can(null, 'read', facts(type))).toBe(false);
      expect(can(other, 'read', facts(type))).toBe(type === 'PUBLIC');
      expect(can(reader, 'read', facts(type, true))).toBe(type !== 'PRIVATE');
    }
    expect(can(owner, 'read', null)).toBe(false);
  });

  it('upload: direct for owner, admins and shared-jar members; review for other authors on PUBLIC; never a VIEWER', () => {
    const other = buildViewer('MEMBER');
    expect(uploadMode(owner, facts('PRIVATE'))).toBe('direct');
    expect(uploadMode(buildViewer('ADMIN'), facts('RESTRICTED'))).toBe('direct');
    expect(uploadMode(other, facts('TEAM', true))).toBe('direct');
    expect(uploadMode(other, facts('TEAM'))).toBeNull();
    expect(uploadMode(other, facts('PRIVATE', true))).toBeNull();
    expect(uploadMode(other, facts('PUBLIC'))).toBe('review');
    expect(uploadMode(buildViewer('VIEWER'), facts('PUBLIC'))).toBeNull();
    // A VIEWER adds nothing to a jar they were added to, nor to one they own (made before they became one).
    for (const type of ['TEAM', 'RESTRICTED'] as const)
      expect(uploadMode(buildViewer('VIEWER'), facts(type, true))).toBeNull();
    expect(uploadMode({ ...owner, role: 'VIEWER' }, facts('PRIVATE'))).toBeNull();
    expect(uploadMode(null, facts('PUBLIC'))).toBeNull();
    expect(uploadMode({ kind: 'system' }, facts('PUBLIC'))).toBeNull();
    expect(uploadMode(owner, facts('PUBLIC', false, 'ARCHIVED'))).toBeNull();
  });
});

describe('the SQL read filter agrees with the rule, for every jar type and relation', () => {
  it.each(JarTypes)('%s', async (type) => {
    const jar = await buildJar(t.em(), { type });
    for (const relation of RELATIONS) {
      const viewer = await viewerFor(t.em(), jar, relation);
      const jarIds = await readableJarIds(t.em(), viewer, [jar.honeyJarId]);
      const expected = can(viewer, 'read', await jarFacts(t.em(), viewer, jar.honeyJarId));
      expect([relation, jarIds.includes(jar.honeyJarId)]).toEqual([relation, expected]);
      expect(await canRead(t.em(), viewer, jar.honeyJarId)).toBe(expected);
    }
  });

  it('lists every readable jar when not narrowed, and ignores malformed or unknown ids', async () => {
    const viewer = buildViewer('MEMBER');
    const mine = await buildJar(t.em(), { type: 'PRIVATE', ownerId: viewer.id });
    const shared = await buildJar(t.em(), { type: 'RESTRICTED', memberIds: [viewer.id] });
    const hidden = await buildJar(t.em(), { type: 'TEAM' });
    const all = await readableJarIds(t.em(), viewer);
    expect(all).toEqual(expect.arrayContaining([mine.honeyJarId, shared.honeyJarId]));
    expect(all).not.toContain(hidden.honeyJarId);
    expect(
      await readableJarIds(t.em(), viewer, ['nope', randomUUID(), hidden.honeyJarId, "' or 1=1 --"]),
    ).toEqual([]);
    expect(await readableJarIds(t.em(), null)).toEqual([]);
  });
});

describe("an API key's jar restriction", () => {
  const restrict = (
    viewer: Viewer | null,
    honeyJarIds: string[],
    scopes: ApiKeyScope[] = ['search'],
  ): Viewer | null =>
    viewer?.kind === 'user' ? { ...viewer, apiKey: { id: 'k-1', scopes, honeyJarIds } } : viewer;

  it('narrows the SQL filter and the rule alike to the key jars, never widening them', async () => {
    const inside = await buildJar(t.em(), { type: 'PUBLIC' });
    const outside = await buildJar(t.em(), { type: 'PUBLIC' });
    const privateOne = await buildJar(t.em(), { type: 'PRIVATE' });
    for (const relation of RELATIONS) {
      const person = await viewerFor(t.em(), inside, relation);
      const key = restrict(person, [inside.honeyJarId, privateOne.honeyJarId, 'not-a-uuid']);
      const wanted = [inside.honeyJarId, outside.honeyJarId, privateOne.honeyJarId];
      const readable = await readableJarIds(t.em(), key, wanted);
      expect([relation, readable.includes(outside.honeyJarId)]).toEqual([relation, false]);
      for (const jar of [inside, outside, privateOne]) {
        const expected = can(key, 'read', await jarFacts(t.em(), key, jar.honeyJarId));
        expect([relation, readable.includes(jar.honeyJarId)]).toEqual([relation, expected]);
      }
      // Without the restriction the person reads at least as much: the key only narrows.
      for (const id of readable) expect(await canRead(t.em(), person, id)).toBe(true);
    }
    // An administrator's key without the admin scope is no administrator: the PRIVATE jar stays hidden.
    const adminKey = restrict(buildViewer('ADMIN'), [privateOne.honeyJarId]);
    expect(await readableJarIds(t.em(), adminKey)).toEqual([]);
    const fullAdmin = restrict(buildViewer('ADMIN'), [privateOne.honeyJarId], ['search', 'admin']);
    expect(await readableJarIds(t.em(), fullAdmin)).toEqual([privateOne.honeyJarId]);
  });

  it('keeps uploads to the key jars and needs documents:write', () => {
    const inside = facts('PRIVATE');
    expect(uploadMode(restrict(owner, [JAR_ID], ['documents:write']), inside)).toBe('direct');
    expect(uploadMode(restrict(owner, [randomUUID()], ['documents:write']), inside)).toBeNull();
    expect(uploadMode(restrict(owner, [JAR_ID], ['honey-jars:write']), inside)).toBeNull();
  });
});

describe('applying honey-jars facts', () => {
  const state = (honeyJarId: string, type: JarType, updatedAt: string, ownerId = owner.id) => ({
    honeyJarId,
    ownerId,
    type,
    status: 'ACTIVE',
    name: 'Jar',
    updatedAt,
  });

  it('keeps the newest jar state when an older one arrives late', async () => {
    const id = randomUUID();
    await applyJarState(t.em(), state(id, 'PRIVATE', '2026-01-02T00:00:00.000Z'));
    await applyJarState(t.em(), state(id, 'PUBLIC', '2026-01-01T00:00:00.000Z'));
    expect((await jarFacts(t.em(), owner, id))?.jar.type).toBe('PRIVATE');
  });

  it('settles membership on the latest change whatever the order', async () => {
    const id = randomUUID();
    const member = buildViewer('MEMBER');
    await applyJarState(t.em(), state(id, 'TEAM', '2026-01-01T00:00:00.000Z'));
    await applyMembership(t.em(), id, member.id, false, '2026-01-01T00:00:02.000Z');
    await applyMembership(t.em(), id, member.id, true, '2026-01-01T00:00:01.000Z');
    expect(await canRead(t.em(), member, id)).toBe(false);
    await applyMembership(t.em(), id, member.id, true, '2026-01-01T00:00:03.000Z');
    expect(await canRead(t.em(), member, id)).toBe(true);
    expect(await canUpload(t.em(), member, id)).toBe('direct');
  });

  it('treats a deletion as final, even before the jar was seen', async () => {
    const id = randomUUID();
    await applyJarDeletion(t.em(), id, '2026-01-01T00:00:00.000Z');
    await applyJarState(t.em(), state(id, 'PUBLIC', '2026-06-01T00:00:00.000Z'));
    expect(await canRead(t.em(), buildViewer('ADMIN'), id)).toBe(false);
    expect(await jarFacts(t.em(), owner, id)).toBeNull();
  });

  it('catches up from a snapshot: new jars, member lists, and jars deleted while not listening', async () => {
    const [kept, missed, vanished] = [randomUUID(), randomUUID(), randomUUID()];
    const [stays, leaves, joinedLater] = [buildViewer(), buildViewer(), buildViewer()];
    const before = '2026-01-01T00:00:00.000Z';
    await applyJarState(t.em(), state(kept, 'TEAM', before));
    await applyJarState(t.em(), state(vanished, 'PUBLIC', before));
    await applyMembership(t.em(), kept, leaves.id, true, before);
    await applyMembership(t.em(), kept, joinedLater.id, true, '2026-01-03T00:00:00.000Z');
    const syncId = randomUUID();
    const takenAt = '2026-01-02T00:00:00.000Z';
    await applySnapshotPage(t.em(), syncId, takenAt, [
      { ...state(kept, 'TEAM', before), memberIds: [stays.id] },
      { ...state(missed, 'RESTRICTED', before), memberIds: [stays.id] },
    ]);
    // Only the jars of this test's snapshot are checked: other tests' rows share the table.
    const { gone, complete } = await finishSnapshot(t.em(), syncId, takenAt, 2);
    expect(complete).toBe(true);
    expect(gone).toContain(vanished);
    expect(gone).not.toContain(kept);
    expect(await readableJarIds(t.em(), stays, [kept, missed, vanished])).toEqual([kept, missed].sort());
    expect(await canRead(t.em(), leaves, kept)).toBe(false);
    // A membership granted after the snapshot was taken survives it.
    expect(await canRead(t.em(), joinedLater, kept)).toBe(true);
    expect(await canRead(t.em(), buildViewer('ADMIN'), vanished)).toBe(false);
  });

  // These two use times before every other test's, so no other snapshot here counts their jars as missing.
  it('takes no jar for deleted when two snapshots are applied at once (two replicas, or two senders)', async () => {
    const jars = [randomUUID(), randomUUID()];
    const before = '2020-01-01T00:00:00.000Z';
    const listing = jars.map((id) => ({ ...state(id, 'PUBLIC', before), memberIds: [] }));
    const [first, second] = [randomUUID(), randomUUID()];
    const [firstTaken, secondTaken] = ['2020-01-02T00:00:00.000Z', '2020-01-02T00:00:01.000Z'];
    // Interleaved: each snapshot's page is applied before the other finishes.
    await applySnapshotPage(t.em(), first, firstTaken, listing);
    await applySnapshotPage(t.em(), second, secondTaken, listing);
    expect(await finishSnapshot(t.em(), first, firstTaken, 2)).toEqual({ gone: [], complete: true });
    expect(await finishSnapshot(t.em(), second, secondTaken, 2)).toEqual({ gone: [], complete: true });
    // Another replica finishing the first one again finds nothing left of it, and infers nothing.
    expect(await finishSnapshot(t.em(), first, firstTaken, 2)).toEqual({ gone: [], complete: false });
    for (const id of jars) expect(await canRead(t.em(), buildViewer('ADMIN'), id)).toBe(true);
  });

  it('takes no listed jar for deleted when two replicas finish the same snapshot at the same moment', async () => {
    const before = '2020-02-01T00:00:00.000Z';
    const takenAt = '2020-02-02T00:00:00.000Z';
    for (let round = 0; round < 20; round++) {
      const jars = [randomUUID(), randomUUID()];
      const listing = jars.map((id) => ({ ...state(id, 'PUBLIC', before), memberIds: [] }));
      const syncId = randomUUID();
      // Both replicas apply the page, then finish at once: one of them finds the list, the other nothing.
      await Promise.all([0, 1].map(() => applySnapshotPage(t.em(), syncId, takenAt, listing)));
      const finished = await Promise.all([0, 1].map(() => finishSnapshot(t.em(), syncId, takenAt, 2)));
      expect(finished.map((f) => f.complete).sort()).toEqual([false, true]);
      for (const { gone } of finished) for (const id of jars) expect(gone).not.toContain(id);
      for (const id of jars) expect(await canRead(t.em(), buildViewer('ADMIN'), id)).toBe(true);
    }
  });

  it('infers no deletion from a snapshot that lost a page on the way, and does from the next whole one', async () => {
    const [onLostPage, onLastPage] = [randomUUID(), randomUUID()];
    const before = '2019-01-01T00:00:00.000Z';
    await applyJarState(t.em(), state(onLostPage, 'PUBLIC', before));
    const takenAt = '2019-01-02T00:00:00.000Z';
    const syncId = randomUUID();
    // Two pages of one jar each; the first never arrived.
    await applySnapshotPage(t.em(), syncId, takenAt, [
      { ...state(onLastPage, 'PUBLIC', before), memberIds: [] },
    ]);
    expect(await finishSnapshot(t.em(), syncId, takenAt, 2)).toEqual({ gone: [], complete: false });
    // Nor from a snapshot that does not say how many jars it listed.
    const untold = randomUUID();
    await applySnapshotPage(t.em(), untold, takenAt, [
      { ...state(onLastPage, 'PUBLIC', before), memberIds: [] },
    ]);
    expect(await finishSnapshot(t.em(), untold, takenAt, undefined)).toEqual({ gone: [], complete: false });
    expect(await canRead(t.em(), buildViewer('ADMIN'), onLostPage)).toBe(true);
    // The next snapshot is whole and does not list it: deleted.
    const next = randomUUID();
    const later = '2019-01-03T00:00:00.000Z';
    await applySnapshotPage(t.em(), next, later, [{ ...state(onLastPage, 'PUBLIC', before), memberIds: [] }]);
    expect(await finishSnapshot(t.em(), next, later, 1)).toEqual({ gone: [onLostPage], complete: true });
    expect(await canRead(t.em(), buildViewer('ADMIN'), onLostPage)).toBe(false);
  });

  // After every other snapshot here: none counts this test's jars as missing.
  it('knows a jar again when a snapshot taken well after its deletion lists it, never one deleted just before', async () => {
    const [wronglyDeleted, justDeleted] = [randomUUID(), randomUUID()];
    const member = buildViewer('MEMBER');
    await applyJarState(t.em(), state(wronglyDeleted, 'TEAM', '2027-01-01T00:00:00.000Z'));
    for (const id of [wronglyDeleted, justDeleted])
      await applyJarDeletion(t.em(), id, '2027-01-02T00:00:00.000Z');
    const listing = (id: string) => [
      { ...state(id, 'TEAM', '2027-01-01T00:00:00.000Z'), memberIds: [member.id] },
    ];
    // Half a minute after the deletion: the deletion may still have been committing when the snapshot read.
    const soon = randomUUID();
    expect(await applySnapshotPage(t.em(), soon, '2027-01-02T00:00:30.000Z', listing(justDeleted))).toEqual(
      [],
    );
    // Five minutes after: the jar exists, so the deletion was wrong.
    const later = randomUUID();
    expect(
      await applySnapshotPage(t.em(), later, '2027-01-02T00:05:00.000Z', listing(wronglyDeleted)),
    ).toEqual([wronglyDeleted]);
    for (const syncId of [soon, later])
      await finishSnapshot(t.em(), syncId, '2027-01-02T00:05:00.000Z', undefined);
    expect(await canRead(t.em(), member, wronglyDeleted)).toBe(true);
    expect((await jarFacts(t.em(), member, wronglyDeleted))?.jar.type).toBe('TEAM');
    expect(await canRead(t.em(), buildViewer('ADMIN'), justDeleted)).toBe(false);
  });
});

describe('jars readable now (honey-jars asked before search answers)', () => {
  const [a, b] = [randomUUID(), randomUUID()];
  const hits = [
    { honeyJarId: a, honeyJarName: 'A (read model)' },
    { honeyJarId: b, honeyJarName: 'B' },
    { honeyJarId: a, honeyJarName: 'A (read model)' },
  ];
  const asker = (peers: SubgraphPeers | undefined, delegatedIdentity: string | undefined = 'assertion') => {
    const warnings: unknown[] = [];
    const ctx = {
      runtime: { ...t.runtime, peers },
      ...(delegatedIdentity ? { delegatedIdentity } : {}),
      requestId: 'r-1',
      logger: { warn: (...args: unknown[]) => warnings.push(args) } as never,
    };
    return { ctx, warnings };
  };
  const answering = (answer: (request: SubgraphRequest) => unknown): SubgraphPeers & { asked: unknown[] } => {
    const asked: unknown[] = [];
    return {
      asked,
      async execute(target, request, assertion, requestId) {
        asked.push({ target, request, assertion, requestId });
        return answer(request) as never;
      },
    };
  };

  it('asks honey-jars once, as the person, for each distinct jar; drops hits in jars it does not show, names the rest as it does', async () => {
    const peers = answering(() => ({ data: { _entities: [{ id: a, name: 'A (renamed)' }, null] } }));
    const { ctx } = asker(peers);
    expect(await withoutJarsNoLongerReadable(ctx, hits)).toEqual([
      { honeyJarId: a, honeyJarName: 'A (renamed)' },
      { honeyJarId: a, honeyJarName: 'A (renamed)' },
    ]);
    expect(peers.asked).toEqual([
      {
        target: 'honey-jars',
        assertion: 'assertion',
        requestId: 'r-1',
        request: expect.objectContaining({
          variables: {
            representations: [
              { __typename: 'HoneyJar', id: a },
              { __typename: 'HoneyJar', id: b },
            ],
          },
        }),
      },
    ]);
  });

  it('leaves the read model to decide when honey-jars cannot be asked or fails (logged), and asks nothing for no hits', async () => {
    const never = answering(() => {
      throw new Error('should not be asked');
    });
    expect(await withoutJarsNoLongerReadable(asker(undefined).ctx, hits)).toEqual(hits);
    expect(await withoutJarsNoLongerReadable(asker(never, '').ctx, hits)).toEqual(hits);
    expect(await withoutJarsNoLongerReadable(asker(never).ctx, [])).toEqual([]);
    expect(never.asked).toEqual([]);
    for (const failure of [
      () => Promise.reject(new Error('connection refused')),
      () => ({ errors: [{ message: 'Internal server error' }] }),
      () => ({ data: null }),
    ]) {
      const { ctx, warnings } = asker(answering(failure));
      expect(await jarsReadableNow(ctx, [a, b])).toBeNull();
      expect(await withoutJarsNoLongerReadable(ctx, hits)).toEqual(hits);
      expect(warnings).toHaveLength(2);
    }
  });

  it('waits for a jar honey-jars shows and the read model does not know yet; answers at once for one it does not show', async () => {
    const made = randomUUID();
    const person = buildViewer('MEMBER');
    const shows = answering((request) => ({
      data: {
        _entities: (request.variables as { representations: { id: string }[] }).representations.map((r) =>
          r.id === made ? { id: made, name: 'Just made' } : null,
        ),
      },
    }));
    const scope = (peers: SubgraphPeers | undefined) => ({ ...asker(peers).ctx, em: t.em(), viewer: person });
    const saved = { ...CATCH_UP };
    try {
      // Nothing here may wait for the whole of it: a wait would fail the test by its time limit.
      CATCH_UP.waitMs = 600_000;
      const arriving = jarFactsCaughtUp(scope(shows), made);
      setTimeout(
        () =>
          void applyJarState(t.em(), {
            honeyJarId: made,
            ownerId: person.id,
            type: 'PRIVATE',
            status: 'ACTIVE',
            name: 'Just made',
            updatedAt: new Date().toISOString(),
          }),
        150,
      );
      expect((await arriving)?.jar).toMatchObject({ honeyJarId: made, ownerId: person.id, type: 'PRIVATE' });
      // A jar honey-jars does not show, a malformed id, or no way to ask: the read model's answer, at once.
      expect(await jarFactsCaughtUp(scope(shows), randomUUID())).toBeNull();
      expect(await jarFactsCaughtUp(scope(shows), 'not-a-jar')).toBeNull();
      expect(await jarFactsCaughtUp(scope(undefined), randomUUID())).toBeNull();
      expect(shows.asked).toHaveLength(2);
      // Shown by honey-jars but never arriving: null once the wait is over.
      CATCH_UP.waitMs = 100;
      const missing = randomUUID();
      const showsMissing = answering(() => ({ data: { _entities: [{ id: missing, name: 'Lost' }] } }));
      expect(await jarFactsCaughtUp(scope(showsMissing), missing)).toBeNull();
    } finally {
      Object.assign(CATCH_UP, saved);
    }
  });
});
