// HoneyJar.chunkCount and Document.chunks against a real database: counts, paging, batching, and who may ask.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { type Viewer } from '@sting/kit';
import { countQueries, executeAs, startTestRuntime, type TestRuntime } from '@sting/kit/testing';
import { chunksOfDocument, countChunksByJar } from '../src/domain/chunks.ts';
import { subgraph } from '../src/index.ts';
import { buildChunks, buildJar, buildViewer } from './factories.ts';

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime(subgraph);
});
afterAll(async () => {
  await t.close();
});

const COUNTS = `query($r: [_Any!]!) { _entities(representations: $r) { ... on HoneyJar { id chunkCount } } }`;
const run = (viewer: Viewer | null, jarIds: string[]) =>
  executeAs<any>(t.schema, subgraph, t.runtime, viewer, COUNTS, {
    r: jarIds.map((id) => ({ __typename: 'HoneyJar', id })),
  });

describe('chunks', () => {
  it('counts chunks per jar across documents, 0 for a jar without any', async () => {
    const [a, b, empty] = [randomUUID(), randomUUID(), randomUUID()];
    await buildChunks(t.em(), a, 3);
    await buildChunks(t.em(), a, 2);
    await buildChunks(t.em(), b, 4);
    expect(await countChunksByJar(t.em(), [a, empty, b, a])).toEqual([5, 0, 4, 5]);
  });
});

describe('HoneyJar.chunkCount', () => {
  it('answers every reference in a batch with one rule check and one grouped COUNT query', async () => {
    const viewer = buildViewer();
    const jars: string[] = [];
    for (let i = 0; i < 4; i++)
      jars.push((await buildJar(t.em(), { type: 'PRIVATE', ownerId: viewer.id })).honeyJarId);
    await buildChunks(t.em(), jars[0], 2);
    await buildChunks(t.em(), jars[2], 7);
    const { result, queries } = await countQueries(t.orm, () => run(viewer, jars));
    expect(result.errors).toBeUndefined();
    expect(result.data._entities).toEqual([
      { id: jars[0], chunkCount: 2 },
      { id: jars[1], chunkCount: 0 },
      { id: jars[2], chunkCount: 7 },
      { id: jars[3], chunkCount: 0 },
    ]);
    expect(queries).toHaveLength(2);
    expect(queries[1]).toMatch(/group by/i);
  });

  it('counts 0 for a jar the viewer may not read, answers the system, refuses anonymous callers', async () => {
    const jar = (await buildJar(t.em(), { type: 'PRIVATE' })).honeyJarId;
    await buildChunks(t.em(), jar, 3);
    expect((await run(buildViewer(), [jar])).data._entities).toEqual([{ id: jar, chunkCount: 0 }]);
    expect((await run({ kind: 'system' }, [jar])).data._entities).toEqual([{ id: jar, chunkCount: 3 }]);
    expect((await run(null, [jar])).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('Document.chunks', () => {
  const page = (viewer: Viewer | null, documentId: string, first: number, after?: string | null) =>
    chunksOfDocument(t.em(), viewer, documentId, { first, after });

  it('pages through a readable document in reading order, and shows nothing of an unreadable one', async () => {
    const owner = buildViewer();
    const jar = await buildJar(t.em(), { type: 'TEAM', ownerId: owner.id });
    const doc = await buildChunks(t.em(), jar.honeyJarId, 5);
    const one = await page(owner, doc, 3);
    expect(one.nodes.map((c) => c.ordinal)).toEqual([0, 1, 2]);
    expect(one.pageInfo.hasNextPage).toBe(true);
    const two = await page(owner, doc, 3, one.pageInfo.endCursor);
    expect(two.nodes.map((c) => c.ordinal)).toEqual([3, 4]);
    expect(two.pageInfo).toEqual({ hasNextPage: false, endCursor: two.pageInfo.endCursor });
    expect((await page(buildViewer(), doc, 3)).nodes).toEqual([]);
    expect((await page(null, doc, 3)).nodes).toEqual([]);
  });

  it('refuses a bad page size or cursor as BAD_USER_INPUT', async () => {
    const doc = randomUUID();
    await expect(page(buildViewer(), doc, 0)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(page(buildViewer(), doc, 101)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(page(buildViewer(), doc, 5, 'garbage')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});
