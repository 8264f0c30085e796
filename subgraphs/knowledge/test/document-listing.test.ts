// Paging through documents: a jar's documents (HoneyJar.documents, batched over the jars of one request) and the
// list across jars (Query.documents), newest first, each page holding only what the viewer may read, with the
// total counted on request.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Viewer } from '@sting/kit';
import { startTestRuntime, type TestRuntime } from '@sting/kit/testing';
import { Document, type ProcessingStatus } from '../src/entities/document.ts';
import { subgraph } from '../src/index.ts';
import { buildJar, buildViewer } from './factories.ts';

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime(subgraph);
});
afterAll(() => t.close());

/** Documents stored as ingestion leaves them, `createdAt` given so the order is known (equal instants too). */
async function stored(
  honeyJarId: string,
  rows: { at: string; status?: ProcessingStatus; by?: string; type?: string }[],
): Promise<string[]> {
  const em = t.em();
  const docs = rows.map((row, i) =>
    em.create(Document, {
      honeyJarId,
      title: `Document ${i}`,
      fileType: row.type ?? 'text',
      contentType: 'text/plain',
      size: 10,
      contentHash: randomBytes(32).toString('hex'),
      processingStatus: row.status ?? 'READY',
      uploadedBy: row.by ?? randomUUID(),
      createdAt: new Date(row.at),
      updatedAt: new Date(row.at),
    }),
  );
  await em.flush();
  return docs.map((d) => d.id);
}

/** Newest first, and by id (descending) between documents of the same instant. */
const newestFirst = (docs: { id: string; at: string }[]) =>
  [...docs].sort((a, b) => (a.at === b.at ? (a.id < b.id ? 1 : -1) : a.at < b.at ? 1 : -1)).map((d) => d.id);

const JAR_PAGES = `query($r: [_Any!]!, $first: Int, $after: String) {
  _entities(representations: $r) {
    ... on HoneyJar { id documents(first: $first, after: $after) {
      nodes { id } pageInfo { hasNextPage endCursor } totalCount } }
  }
}`;

interface Page {
  nodes: { id: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

async function jarPages(viewer: Viewer | null, jars: string[], first?: number, after?: string | null) {
  const r = await t.run(viewer, JAR_PAGES, {
    r: jars.map((id) => ({ __typename: 'HoneyJar', id })),
    first,
    after,
  });
  return r as { data?: { _entities: { id: string; documents: Page }[] }; errors?: { extensions: unknown }[] };
}

/** Every page of one jar's documents, `first` at a time. */
async function walkJar(viewer: Viewer | null, jar: string, first: number): Promise<string[]> {
  const seen: string[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 50; pages++) {
    const page: Page = (await jarPages(viewer, [jar], first, after)).data!._entities[0].documents;
    seen.push(...page.nodes.map((n) => n.id));
    if (!page.pageInfo.hasNextPage) return seen;
    after = page.pageInfo.endCursor;
  }
  throw new Error('paging did not end');
}

// First: a PUBLIC jar of a later test would be readable here too.
describe('documents across jars', () => {
  const LIST = `query($jar: ID, $type: String, $first: Int, $after: String) {
    documents(honeyJarId: $jar, fileType: $type, first: $first, after: $after) {
      nodes { id } pageInfo { hasNextPage endCursor } totalCount } }`;

  it('pages newest first through every readable jar, counting what the filters keep', async () => {
    const viewer = buildViewer('MEMBER');
    const a = await buildJar(t.em(), { type: 'PRIVATE', ownerId: viewer.id });
    const b = await buildJar(t.em(), { type: 'RESTRICTED', memberIds: [viewer.id] });
    const hidden = await buildJar(t.em(), { type: 'RESTRICTED' });
    const times = ['2026-04-01T00:00:00.000Z', '2026-04-02T00:00:00.000Z', '2026-04-02T00:00:00.000Z'];
    const inA = await stored(
      a.honeyJarId,
      times.map((at, i) => ({ at, type: i === 0 ? 'csv' : 'text' })),
    );
    const inB = await stored(b.honeyJarId, [
      { at: '2026-04-02T00:00:00.000Z' },
      { at: '2026-04-03T00:00:00.000Z' },
    ]);
    await stored(hidden.honeyJarId, [{ at: '2026-04-05T00:00:00.000Z' }]);
    const all = [
      ...inA.map((id, i) => ({ id, at: times[i] })),
      { id: inB[0], at: '2026-04-02T00:00:00.000Z' },
      { id: inB[1], at: '2026-04-03T00:00:00.000Z' },
    ];

    const seen: string[] = [];
    let after: string | null = null;
    const totals = new Set<number>();
    for (let i = 0; i < 10; i++) {
      const r = await t.run(viewer, LIST, { first: 2, after });
      const page: Page = r.data.documents;
      seen.push(...page.nodes.map((n) => n.id));
      totals.add(page.totalCount);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(newestFirst(all));
    expect([...totals]).toEqual([5]);

    const csv = await t.run(viewer, LIST, { type: 'CSV' });
    expect(csv.data.documents).toMatchObject({ nodes: [{ id: inA[0] }], totalCount: 1 });
    const hiddenJar = await t.run(viewer, LIST, { jar: hidden.honeyJarId });
    expect(hiddenJar.data.documents).toEqual({
      nodes: [],
      pageInfo: { hasNextPage: false, endCursor: null },
      totalCount: 0,
    });
    const bad = await t.run(viewer, LIST, { after: 'bm9wZQ' });
    expect(bad.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'after' } });
  });
});

describe("a jar's documents", () => {
  it('pages newest first without skipping or repeating documents created at the same instant', async () => {
    const jar = await buildJar(t.em(), { type: 'PRIVATE' });
    const owner: Viewer = { kind: 'user', id: jar.ownerId, role: 'MEMBER' };
    const at = ['2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', '2026-01-02T00:00:00.000Z'];
    const times = [...at, '2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z'];
    const ids = await stored(
      jar.honeyJarId,
      times.map((t) => ({ at: t })),
    );
    const expected = newestFirst(ids.map((id, i) => ({ id, at: times[i] })));

    for (const first of [1, 2, 3, 5]) expect(await walkJar(owner, jar.honeyJarId, first)).toEqual(expected);
    const one = (await jarPages(owner, [jar.honeyJarId], 2)).data!._entities[0].documents;
    expect(one).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: true } });
    expect(one.nodes).toHaveLength(2);
    // The last page says so, and a page past the end is empty.
    const last = (await jarPages(owner, [jar.honeyJarId], 5)).data!._entities[0].documents;
    expect(last.pageInfo.hasNextPage).toBe(false);
    const beyond = (await jarPages(owner, [jar.honeyJarId], 5, last.pageInfo.endCursor)).data!._entities[0];
    expect(beyond.documents).toEqual({
      nodes: [],
      pageInfo: { hasNextPage: false, endCursor: null },
      totalCount: 5,
    });
  });

  it("shows a proposal waiting for review to the jar's reviewers and its uploader, never to other readers", async () => {
    const jar = await buildJar(t.em(), { type: 'PUBLIC' });
    const owner: Viewer = { kind: 'user', id: jar.ownerId, role: 'MEMBER' };
    const proposer = buildViewer('MEMBER');
    const reader = buildViewer('MEMBER');
    const [settled, proposal] = await stored(jar.honeyJarId, [
      { at: '2026-02-01T00:00:00.000Z' },
      { at: '2026-02-02T00:00:00.000Z', status: 'PENDING_REVIEW', by: proposer.id },
    ]);
    const sees = async (viewer: Viewer) => {
      const page = (await jarPages(viewer, [jar.honeyJarId])).data!._entities[0].documents;
      return [page.nodes.map((n) => n.id), page.totalCount];
    };
    expect(await sees(owner)).toEqual([[proposal, settled], 2]);
    expect(await sees(buildViewer('ADMIN'))).toEqual([[proposal, settled], 2]);
    expect(await sees(proposer)).toEqual([[proposal, settled], 2]);
    expect(await sees(reader)).toEqual([[settled], 1]);
  });

  it('answers several jars in one request, each with its own page, and nothing of a jar the viewer may not read', async () => {
    const viewer = buildViewer('MEMBER');
    const a = await buildJar(t.em(), { type: 'PRIVATE', ownerId: viewer.id });
    const b = await buildJar(t.em(), { type: 'TEAM', memberIds: [viewer.id] });
    const hidden = await buildJar(t.em(), { type: 'PRIVATE' });
    const inA = await stored(a.honeyJarId, [
      { at: '2026-03-01T00:00:00.000Z' },
      { at: '2026-03-02T00:00:00.000Z' },
    ]);
    const inB = await stored(b.honeyJarId, [{ at: '2026-03-03T00:00:00.000Z' }]);
    await stored(hidden.honeyJarId, [{ at: '2026-03-04T00:00:00.000Z' }]);
    const r = await jarPages(viewer, [a.honeyJarId, hidden.honeyJarId, b.honeyJarId], 1);
    expect(r.errors).toBeUndefined();
    expect(
      r.data!._entities.map((e) => [
        e.documents.nodes.map((n) => n.id),
        e.documents.pageInfo.hasNextPage,
        e.documents.totalCount,
      ]),
    ).toEqual([
      [[inA[1]], true, 2],
      [[], false, 0],
      [inB, false, 1],
    ]);
    // documentCount: the same counts without a page (a list of jars).
    const counted = await t.run(
      viewer,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on HoneyJar { id documentCount } } }`,
      { r: [a.honeyJarId, hidden.honeyJarId, b.honeyJarId].map((id) => ({ __typename: 'HoneyJar', id })) },
    );
    expect(counted.errors).toBeUndefined();
    expect(counted.data!._entities.map((e: { documentCount: number }) => e.documentCount)).toEqual([2, 0, 1]);
  });

  it('refuses a page size out of range and a cursor it did not make, as BAD_USER_INPUT', async () => {
    const jar = await buildJar(t.em(), { type: 'PRIVATE' });
    const owner: Viewer = { kind: 'user', id: jar.ownerId, role: 'MEMBER' };
    for (const [first, after] of [
      [0, null],
      [201, null],
      [10, 'not-a-cursor'],
      [10, Buffer.from('["2026-01-01T00:00:00.000Z","x"]').toString('base64url')],
    ] as const) {
      const r = await jarPages(owner, [jar.honeyJarId], first, after);
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    }
  });
});
