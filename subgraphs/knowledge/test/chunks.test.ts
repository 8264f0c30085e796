// Chunks and HoneyJar.chunkCount against a real database: counts, replacement, batching, and who may ask.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import {
  countQueries,
  createEvent,
  executeAs,
  startTestRuntime,
  type Viewer,
  type TestRuntime,
} from '@sting/kit';
import { Chunk } from '../src/entities/chunk.ts';
import { countChunksByJar, replaceDocumentChunks } from '../src/domain/chunks.ts';
import { followJarDeletions, HONEY_JAR_DELETED } from '../src/domain/events.ts';
import { subgraph } from '../src/index.ts';
import { buildChunks, buildViewer } from './factories.ts';

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

  it('replaces a document’s chunks as a whole, keeping them in order', async () => {
    const jar = randomUUID();
    const doc = await buildChunks(t.em(), jar, 4);
    await replaceDocumentChunks(t.em(), { honeyJarId: jar, documentId: doc, passages: ['one', 'two'] });
    const rows = await t.em().find(Chunk, { documentId: doc }, { orderBy: { ordinal: 'asc' } });
    expect(rows.map((c) => [c.ordinal, c.text])).toEqual([
      [0, 'one'],
      [1, 'two'],
    ]);
    expect(await countChunksByJar(t.em(), [jar])).toEqual([2]);
  });

  it('rejects malformed ids naming the field', async () => {
    await expect(
      replaceDocumentChunks(t.em(), { honeyJarId: 'nope', documentId: randomUUID(), passages: ['x'] }),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'honeyJarId' } });
  });
});

describe('HoneyJar.chunkCount', () => {
  it('answers every reference in a batch with one grouped COUNT query', async () => {
    const jars = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await buildChunks(t.em(), jars[0], 2);
    await buildChunks(t.em(), jars[2], 7);
    const { result, queries } = await countQueries(t.orm, () => run(buildViewer(), jars));
    expect(result.errors).toBeUndefined();
    expect(result.data._entities).toEqual([
      { id: jars[0], chunkCount: 2 },
      { id: jars[1], chunkCount: 0 },
      { id: jars[2], chunkCount: 7 },
      { id: jars[3], chunkCount: 0 },
    ]);
    expect(queries).toHaveLength(1);
    expect(queries[0]).toMatch(/count\(\*\)/i);
    expect(queries[0]).toMatch(/group by/i);
  });

  it('answers the system viewer and refuses anonymous callers', async () => {
    const jar = randomUUID();
    await buildChunks(t.em(), jar, 1);
    expect((await run({ kind: 'system' }, [jar])).data._entities).toEqual([{ id: jar, chunkCount: 1 }]);
    expect((await run(null, [jar])).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('honey jar deletion', () => {
  it('removes the chunks of a jar honey-jars reports deleted, and only those', async () => {
    const [gone, kept] = [randomUUID(), randomUUID()];
    await buildChunks(t.em(), gone, 3);
    await buildChunks(t.em(), kept, 2);
    const stop = await followJarDeletions(t.runtime.bus, t.em, t.runtime.logger);
    try {
      await t.runtime.bus.publish(
        HONEY_JAR_DELETED,
        createEvent(
          HONEY_JAR_DELETED,
          { honeyJarId: gone, actorId: null, at: new Date().toISOString() },
          {
            source: 'honey-jars',
          },
        ),
      );
      for (let i = 0; i < 50 && (await countChunksByJar(t.em(), [gone]))[0] > 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(await countChunksByJar(t.em(), [gone, kept])).toEqual([0, 2]);
    } finally {
      await stop();
    }
  });
});
