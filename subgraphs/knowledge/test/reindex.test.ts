// A change of embedding model: the jar's vectors are rebuilt in a new collection while search keeps using the
// old one with the old model, then search switches over; against real PostgreSQL and Chroma.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createChromaClient } from '@sting/kit';
import { startTestRuntime, type TestRuntime } from '@sting/kit/testing';
import { createEmbedder, type Embedder } from '@sting/llm';
import { PostgresChromaChunkIndex } from '../src/domain/search/chunk-store.ts';
import { reindexJar, staleJars } from '../src/domain/search/reindex.ts';
import { search } from '../src/domain/search/search.ts';
import { DEFAULT_SEARCH_SETTINGS } from '../src/domain/search/settings.ts';
import { JarVectors, modelKey } from '../src/domain/search/vectors.ts';
import { subgraph } from '../src/index.ts';
import { buildJar, buildViewer } from './factories.ts';

let t: TestRuntime;
let vectors: JarVectors;
let before: Embedder;
let after: Embedder;
beforeAll(async () => {
  t = await startTestRuntime(subgraph);
  vectors = new JarVectors(createChromaClient(process.env.CHROMA_URL!));
  const hashing = {
    provider: 'hashing',
    model: 'hashing-v1',
    baseUrl: '',
    apiKey: null,
    timeoutMs: 1000,
  } as const;
  before = await createEmbedder({ ...hashing, dimension: 256 });
  after = await createEmbedder({ ...hashing, dimension: 512 });
});
afterAll(async () => {
  await t.close();
});

describe('re-indexing for a new embedding model', () => {
  it('keeps answering from the old collection until the new one is ready, then serves the new one', async () => {
    const owner = buildViewer();
    const jar = await buildJar(t.em(), { type: 'PRIVATE', ownerId: owner.id });
    const text = 'Drones are the male bees of the colony and do not sting.';
    await new PostgresChromaChunkIndex(t.em, vectors, before).replaceDocumentChunks(
      {
        id: randomUUID(),
        honeyJarId: jar.honeyJarId,
        title: 'Colony',
        fileType: 'text',
        createdAt: new Date(),
        version: 1,
      },
      [
        {
          ordinal: 0,
          text,
          headingPath: [],
          page: null,
          slide: null,
          sheet: null,
          charStart: 0,
          charEnd: text.length,
        },
      ],
      await before.embed([text]),
    );
    const byModel = { [modelKey(before)]: before, [modelKey(after)]: after };
    const find = () =>
      search(
        {
          em: t.em(),
          vectors,
          embedders: async (m) => byModel[modelKey(m)] ?? null,
          settings: DEFAULT_SEARCH_SETTINGS,
        },
        owner,
        { query: 'male bees drones', mode: 'vector' },
      );

    expect(await staleJars(t.em(), after)).toContain(jar.honeyJarId);
    expect((await find()).map((h) => h.text)).toEqual([text]);
    expect(await reindexJar(t.em(), vectors, after, jar.honeyJarId)).toBe(1);

    const serving = await vectors.servingIndexes(t.em(), [jar.honeyJarId]);
    expect(serving.map((i) => [i.model, i.dimension, i.state])).toEqual([['hashing-v1', 512, 'READY']]);
    expect(await staleJars(t.em(), after)).not.toContain(jar.honeyJarId);
    expect((await find()).map((h) => h.text)).toEqual([text]);
  });
});
