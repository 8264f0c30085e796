// The Chroma client against the Chroma server the test run provides, and against a port where nothing listens.
import { describe, it, expect } from '@jest/globals';
import { createServer as createHttpServer } from 'node:http';
import {
  ChromaQueryError,
  chromaHeartbeat,
  chromaQueryVector,
  createChromaClient,
  createChromaNearest,
} from '../src/chroma.ts';
import { freePort as closedPort } from '../src/runtime/free-port.ts';

describe('Chroma', () => {
  const url = process.env.CHROMA_URL;
  (url ? it : it.skip)('answers the heartbeat of the configured server and stores a collection', async () => {
    const client = createChromaClient(url!);
    const beat = await chromaHeartbeat(client);
    expect(beat).toMatchObject({ ok: true });
    const name = `kit_test_${Date.now()}`;
    const collection = await client.createCollection({ name, embeddingFunction: null });
    try {
      await collection.add({ ids: ['a'], embeddings: [[0.1, 0.2, 0.3]], documents: ['pollen'] });
      expect(await collection.count()).toBe(1);
    } finally {
      await client.deleteCollection({ name });
    }
  });

  it('reports an unreachable server without throwing', async () => {
    const client = createChromaClient(`http://127.0.0.1:${await closedPort()}`);
    const beat = await chromaHeartbeat(client, 1500);
    expect(beat.ok).toBe(false);
    expect(beat.ok === false && beat.error.length).toBeGreaterThan(0);
  });

  (url ? it : it.skip)('finds the nearest records as the client query does', async () => {
    const client = createChromaClient(url!);
    const name = `kit_nearest_${Date.now()}`;
    const collection = await client.createCollection({
      name,
      configuration: { hnsw: { space: 'cosine' } },
      embeddingFunction: null,
    });
    try {
      const ids = Array.from({ length: 40 }, (_, i) => `r${i}`);
      const embeddings = ids.map((_, i) => [Math.cos(i / 7), Math.sin(i / 7), (i % 5) / 5, 1 - (i % 3) / 3]);
      await collection.add({ ids, embeddings });
      const query = [0.9, 0.3, 0.2, 0.5];
      const expected = await collection.query({
        queryEmbeddings: [query],
        nResults: 7,
        include: ['distances'] as never,
      });
      const nearest = createChromaNearest(url!);
      const found = await nearest(collection, chromaQueryVector(Float32Array.from(query)), 7);
      expect(found.ids).toEqual(expected.ids[0]);
      expect(found.ids).toHaveLength(7);
      found.distances.forEach((d, i) => expect(d).toBeCloseTo(expected.distances[0][i]!, 5));

      // A collection that is gone: Chroma's own message, and its status.
      await client.deleteCollection({ name });
      const gone = await nearest(collection, chromaQueryVector(query), 3).catch((err: unknown) => err);
      expect(gone).toBeInstanceOf(ChromaQueryError);
      expect((gone as ChromaQueryError).status).toBeGreaterThanOrEqual(400);
      expect((gone as ChromaQueryError).message).toMatch(/^Chroma query: /);
      // A vector of the wrong dimension is Chroma's to refuse.
      const again = await client.createCollection({ name, embeddingFunction: null });
      await again.add({ ids: ['x'], embeddings: [[1, 0, 0]] });
      await expect(nearest(again, chromaQueryVector([1, 0]), 1)).rejects.toThrow(ChromaQueryError);
    } finally {
      await client.deleteCollection({ name }).catch(() => undefined);
    }
  });

  it('refuses a query it cannot send, and reports a server that is not there', async () => {
    expect(() => chromaQueryVector([0.1, Number.NaN])).toThrow(RangeError);
    expect(() => chromaQueryVector([Infinity])).toThrow(RangeError);
    const collection = { id: 'c', tenant: 'default_tenant', database: 'default_database' };
    const nearest = createChromaNearest(`http://127.0.0.1:${await closedPort()}`);
    await expect(nearest(collection, chromaQueryVector([1]), 0)).rejects.toThrow(RangeError);
    await expect(nearest(collection, chromaQueryVector([1]), 3)).rejects.toThrow(ChromaQueryError);
  });

  it('turns any answer that is not a list of hits into an error, never a throw elsewhere', async () => {
    const answers = [
      [200, 'null'],
      [200, '{"ids":"r1"}'],
      [200, '{"ids":[[1,2]]}'],
      [502, '<html>Bad Gateway</html>'],
      [503, '{"message":"Chroma is busy"}'],
      [200, '{"ids":[["r1","r2"]],"distances":[[0.1,null]]}'],
    ] as const;
    let next = 0;
    const server = createHttpServer((request, response) => {
      request.resume();
      const [status, body] = answers[next++];
      response.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const nearest = createChromaNearest(`http://127.0.0.1:${port}`);
      const collection = { id: 'c', tenant: 'default_tenant', database: 'default_database' };
      const ask = () => nearest(collection, chromaQueryVector([1, 0]), 2).catch((err: unknown) => err);
      for (let i = 0; i < 3; i++) {
        const err = await ask();
        expect(err).toBeInstanceOf(ChromaQueryError);
        expect((err as Error).message).toBe('Chroma query: an answer without a list of ids');
      }
      expect(await ask()).toMatchObject({ status: 502, message: expect.stringMatching(/not JSON/) });
      expect(await ask()).toMatchObject({ status: 503, message: 'Chroma query: Chroma is busy' });
      // A distance Chroma left out counts as the farthest possible (cosine distance 2).
      expect(await ask()).toEqual({ ids: ['r1', 'r2'], distances: [0.1, 2] });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('rejects a URL that is not http(s)', () => {
    expect(() => createChromaClient('not a url')).toThrow(/not a URL/);
    expect(() => createChromaClient('ftp://chroma')).toThrow(/http or https/);
    expect(() => createChromaNearest('not a url')).toThrow(/not a URL/);
    expect(() => createChromaNearest('ftp://chroma')).toThrow(/http or https/);
  });
});
