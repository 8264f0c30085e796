// The Chroma client against the Chroma server the test run provides, and against a port where nothing listens.
import { describe, it, expect } from '@jest/globals';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
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

describe('a hedged Chroma query', () => {
  const collection = { id: 'c', tenant: 'default_tenant', database: 'default_database' };
  const hits = (id: string) => JSON.stringify({ ids: [[id]], distances: [[0.25]] });
  /** Hedge once answers are slower than the median of recent ones, after 20 ms at least; every query may be. */
  const eager = { quantile: 0.5, minDelayMs: 20, maxShare: 1 };

  /**
   * A stand-in query endpoint: `answer` decides each request (by its number, from 0) and may hold it; every request
   * is counted, and those whose connection was closed before an answer are recorded.
   */
  async function standIn(answer: (n: number, response: ServerResponse, request: IncomingMessage) => void) {
    let requests = 0;
    const dropped: number[] = [];
    const server = createHttpServer((request, response) => {
      const n = requests++;
      request.resume();
      response.on('close', () => {
        if (!response.writableFinished) dropped.push(n);
      });
      answer(n, response, request);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    return {
      url: `http://127.0.0.1:${port}`,
      requests: () => requests,
      dropped,
      close: () =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(resolve);
        }),
    };
  }
  const answerNow = (response: ServerResponse, body: string, status = 200) =>
    response.writeHead(status, { 'content-type': 'application/json' }).end(body);
  /** Quick answers, enough for the client to know its usual answer time (it hedges nothing before 32). */
  const warmUp = async (nearest: ReturnType<typeof createChromaNearest>) => {
    for (let i = 0; i < 48; i++) await nearest(collection, chromaQueryVector([1, 0]), 1);
  };

  it('sends a second request for a query slower than usual, keeps the first answer and drops the other', async () => {
    let stallAt = Infinity;
    const server = await standIn((n, response) => {
      if (n === stallAt) return; // held until the client drops it
      answerNow(response, hits(n === stallAt + 1 ? 'from the second request' : 'usual'));
    });
    try {
      const nearest = createChromaNearest(server.url, { hedging: eager });
      await warmUp(nearest);
      expect(server.requests()).toBe(48); // quick answers: never a second request
      stallAt = server.requests();
      const began = performance.now();
      const found = await nearest(collection, chromaQueryVector([1, 0]), 1);
      expect(found.ids).toEqual(['from the second request']);
      expect(performance.now() - began).toBeGreaterThanOrEqual(19);
      expect(server.requests()).toBe(stallAt + 2);
      // The held request's connection is closed once the other answered.
      for (let i = 0; i < 100 && server.dropped.length === 0; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(server.dropped).toEqual([stallAt]);
    } finally {
      await server.close();
    }
  });

  it('keeps the first request when it answers before the second, and drops the second', async () => {
    let slowFrom = Infinity;
    const server = await standIn((n, response) => {
      if (n < slowFrom) return answerNow(response, hits('usual'));
      if (n === slowFrom) setTimeout(() => answerNow(response, hits('first, late')), 60);
      // The second request is held until dropped.
    });
    try {
      const nearest = createChromaNearest(server.url, { hedging: eager });
      await warmUp(nearest);
      slowFrom = server.requests();
      expect((await nearest(collection, chromaQueryVector([1, 0]), 1)).ids).toEqual(['first, late']);
      expect(server.requests()).toBe(slowFrom + 2);
      for (let i = 0; i < 100 && server.dropped.length === 0; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(server.dropped).toEqual([slowFrom + 1]);
    } finally {
      await server.close();
    }
  });

  it("fails at once on an error before any second request, and after one only when both failed, with the first's error", async () => {
    let phase: 'usual' | 'refused' | 'first fails late' | 'both fail late' = 'usual';
    let phaseStart = 0;
    const server = await standIn((n, response) => {
      const k = n - phaseStart;
      if (phase === 'usual') return answerNow(response, hits('usual'));
      if (phase === 'refused') return answerNow(response, '{"message":"no such collection"}', 404);
      if (phase === 'first fails late') {
        if (k === 0) setTimeout(() => answerNow(response, '{"message":"first failed"}', 500), 60);
        else setTimeout(() => answerNow(response, hits('second')), 120);
        return;
      }
      const message = k === 0 ? 'first failed' : 'second failed';
      setTimeout(() => answerNow(response, JSON.stringify({ message }), 500), k === 0 ? 80 : 30);
    });
    try {
      const nearest = createChromaNearest(server.url, { hedging: eager });
      await warmUp(nearest);
      const ask = () => nearest(collection, chromaQueryVector([1, 0]), 1).catch((err: unknown) => err);

      phase = 'refused';
      phaseStart = server.requests();
      expect(await ask()).toMatchObject({ status: 404, message: 'Chroma query: no such collection' });
      expect(server.requests()).toBe(phaseStart + 1);

      phase = 'first fails late';
      phaseStart = server.requests();
      expect(await ask()).toEqual({ ids: ['second'], distances: [0.25] });
      expect(server.requests()).toBe(phaseStart + 2);

      phase = 'both fail late';
      phaseStart = server.requests();
      expect(await ask()).toMatchObject({ status: 500, message: 'Chroma query: first failed' });
      expect(server.requests()).toBe(phaseStart + 2);
    } finally {
      await server.close();
    }
  });

  it('hedges at most its share of queries when the server is slow for all of them, and never when turned off', async () => {
    let slow = false;
    const server = await standIn((_, response) => {
      if (slow) setTimeout(() => answerNow(response, hits('slow')), 40);
      else answerNow(response, hits('usual'));
    });
    try {
      const nearest = createChromaNearest(server.url, {
        hedging: { quantile: 0.5, minDelayMs: 10, maxShare: 0.1 },
      });
      await warmUp(nearest);
      slow = true;
      const before = server.requests();
      const queries = 100;
      await Promise.all(
        Array.from({ length: queries }, () => nearest(collection, chromaQueryVector([1, 0]), 1)),
      );
      const hedges = server.requests() - before - queries;
      // 10% of 100 queries, plus what was saved up before them (at most 4).
      expect(hedges).toBeGreaterThan(0);
      expect(hedges).toBeLessThanOrEqual(queries * 0.1 + 4);

      const plain = createChromaNearest(server.url, { hedging: null });
      const start = server.requests();
      for (let i = 0; i < 40; i++) await plain(collection, chromaQueryVector([1, 0]), 1);
      await Promise.all(Array.from({ length: 20 }, () => plain(collection, chromaQueryVector([1, 0]), 1)));
      expect(server.requests() - start).toBe(60);
    } finally {
      await server.close();
    }
  });
});
