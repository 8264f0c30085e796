// The Chroma client against the Chroma server the test run provides, and against a port where nothing listens.
import { describe, it, expect } from '@jest/globals';
import { createServer } from 'node:net';
import { chromaHeartbeat, createChromaClient } from '../src/chroma.ts';

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

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

  it('rejects a URL that is not http(s)', () => {
    expect(() => createChromaClient('not a url')).toThrow(/not a URL/);
    expect(() => createChromaClient('ftp://chroma')).toThrow(/http or https/);
  });
});
