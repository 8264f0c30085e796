// Chroma round trip through the chromadb client against the run's Chroma: embeddings with metadata go in,
// a nearest-neighbour query narrowed by a metadata filter returns exactly the right ids. The embedded Chroma
// caches collections (see writeServerConfig): what a request changes is seen by the very next one.
import { afterAll, describe, expect, it } from '@jest/globals';
import { ChromaClient } from 'chromadb';
import { heartbeat } from '../src/services/chroma.ts';

const url = new URL(process.env.CHROMA_URL ?? 'http://127.0.0.1:8300');
const client = new ChromaClient({
  host: url.hostname,
  port: Number(url.port),
  ssl: url.protocol === 'https:',
});
const name = `ops-round-trip-${process.pid}-${Date.now()}`;

const cached = `${name}-cached`;

afterAll(async () => {
  await client.deleteCollection({ name }).catch(() => undefined);
  await client.deleteCollection({ name: cached }).catch(() => undefined);
});

describe('Chroma service', () => {
  it('answers its heartbeat', async () => {
    expect(await heartbeat(url.origin)).toBe(true);
  });

  it('stores embeddings with metadata and filters a query by metadata', async () => {
    const collection = await client.createCollection({ name, embeddingFunction: null });
    await collection.add({
      ids: ['clover-1', 'clover-2', 'acacia-1', 'acacia-2'],
      embeddings: [
        [1, 0, 0],
        [0.9, 0.1, 0],
        [1, 0.05, 0],
        [0, 0, 1],
      ],
      metadatas: [
        { jar: 'clover', page: 1 },
        { jar: 'clover', page: 2 },
        { jar: 'acacia', page: 1 },
        { jar: 'acacia', page: 2 },
      ],
    });
    expect(await collection.count()).toBe(4);

    const result = await collection.query({
      queryEmbeddings: [[1, 0, 0]],
      nResults: 2,
      where: { jar: 'clover' },
    });
    expect(result.ids[0]).toEqual(['clover-1', 'clover-2']);

    const narrowed = await collection.query({
      queryEmbeddings: [[1, 0, 0]],
      nResults: 3,
      where: { $and: [{ jar: 'acacia' }, { page: { $gt: 1 } }] },
    });
    expect(narrowed.ids[0]).toEqual(['acacia-2']);
  });

  it('serves each change to a collection at once, its cache notwithstanding', async () => {
    const first = await client.createCollection({ name: cached, embeddingFunction: null });
    await first.add({ ids: ['a'], embeddings: [[1, 0, 0]] });
    expect((await first.query({ queryEmbeddings: [[1, 0, 0]], nResults: 5 })).ids[0]).toEqual(['a']);
    await first.add({ ids: ['b'], embeddings: [[0, 1, 0]] });
    expect(await first.count()).toBe(2);
    await first.delete({ ids: ['a'] });
    expect((await first.query({ queryEmbeddings: [[1, 0, 0]], nResults: 5 })).ids[0]).toEqual(['b']);

    // Deleted and made again under the same name (a jar re-indexed): the old collection answers no more, and
    // the new one holds only its own vectors, of its own dimension.
    await client.deleteCollection({ name: cached });
    await expect(first.count()).rejects.toThrow();
    const second = await client.createCollection({ name: cached, embeddingFunction: null });
    await second.add({ ids: ['c'], embeddings: [[0, 0, 1, 0]] });
    const again = await client.getCollection({ name: cached, embeddingFunction: null } as never);
    expect((await again.query({ queryEmbeddings: [[0, 0, 1, 0]], nResults: 5 })).ids[0]).toEqual(['c']);
    expect(await again.count()).toBe(1);
  });
});
