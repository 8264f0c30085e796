// A change of embedding model, against real PostgreSQL, Chroma and pg-boss: the jars whose vectors the old model
// made are re-indexed through durable jobs (one per jar and model, however often knowledge starts) while search
// keeps answering from the old collection; a job stopped half-way is finished after a restart, embedding only
// what is missing; a failing model server is retried with backoff; a deleted jar's job ends without a trace.
// The runtime embeds through a stand-in Ollama; the old vectors were made by the built-in hashing model.
import { describe, it, expect, beforeAll, afterAll, afterEach } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { createChromaClient, type Viewer } from '@sting/kit';
import { startTestRuntime, waitFor, type TestRuntime } from '@sting/kit/testing';
import { createEmbedder, type Embedder } from '@sting/llm';
import { PostgresChromaChunkIndex } from '../src/domain/search/chunk-store.ts';
import { reindexJar, staleJars } from '../src/domain/search/reindex.ts';
import { search } from '../src/domain/search/search.ts';
import { searchServices } from '../src/domain/search/services.ts';
import { DEFAULT_SEARCH_SETTINGS } from '../src/domain/search/settings.ts';
import {
  collectionName,
  JarVectors,
  modelKey,
  RETIRED_GRACE_MS,
  sharedCollectionName,
} from '../src/domain/search/vectors.ts';
import { VectorIndex } from '../src/entities/vector-index.ts';
import { removeJarContents } from '../src/domain/documents/documents.ts';
import { startJobWorkers } from '../src/jobs/job-workers.ts';
import { closeKnowledgeJobs, knowledgeJobs } from '../src/jobs/queues.ts';
import { queueStaleJars } from '../src/jobs/reindex-jar.ts';
import { subgraph } from '../src/index.ts';
import {
  standInVector,
  startModelServer,
  type StandInModelServer,
} from '../../../tests/standins/model-server.ts';
import { buildJar, buildViewer, knowledgeTestConfig } from './factories.ts';

const DIMENSION = 48;
const chroma = createChromaClient(process.env.CHROMA_URL!);

let t: TestRuntime;
let dir: string;
let models: StandInModelServer;
/** Made the old vectors (and answers queries on the old collections). */
let before: Embedder;
let oldVectors: JarVectors;

/** Texts start with their test's tag; each test says how the stand-in treats its tag's texts. */
type Answer = 'embed' | 'hold' | 'fail';
const behaviour = new Map<string, (servedSoFar: number) => Answer>();
const served = new Map<string, number>();
/** Requests held by the stand-in: destroyed (the attempt fails) or answered late. */
const held: { res: ServerResponse; answer(): void }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sting-reindex-'));
  models = await startModelServer();
  models.route('POST /api/embed', (request, res) => {
    const input = (request.body as { input: string | string[] }).input;
    const texts = typeof input === 'string' ? [input] : input;
    const tag = texts[0].split(' ')[0];
    const answer = () => {
      // Re-indexing sends batches; a search's query is one text and is not counted.
      if (texts.length > 1) served.set(tag, (served.get(tag) ?? 0) + texts.length);
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({ model: 'stand-in', embeddings: texts.map((x) => standInVector(x, DIMENSION)) }),
      );
    };
    const next = behaviour.get(tag)?.(served.get(tag) ?? 0) ?? 'embed';
    if (next === 'hold') return void held.push({ res, answer });
    if (next === 'embed') return answer();
    res.statusCode = 500;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ error: 'the model is loading' }));
  });
  t = await startTestRuntime(subgraph, {
    config: knowledgeTestConfig(dir, {
      embeddings: { provider: 'ollama', model: 'stand-in', baseUrl: models.url, dimension: DIMENSION },
      jobs: { concurrency: 1, retryLimit: 3, retryDelaySeconds: 1, expireSeconds: 10 },
    }),
  });
  oldVectors = new JarVectors(process.env.CHROMA_URL!);
  before = await createEmbedder({
    provider: 'hashing',
    model: 'hashing-v1',
    baseUrl: '',
    apiKey: null,
    timeoutMs: 1000,
    dimension: 256,
  });
}, 30_000);

afterEach(async () => {
  await closeKnowledgeJobs(t.runtime);
  for (const { res } of held.splice(0)) res.destroy();
});

afterAll(async () => {
  oldVectors.close();
  await closeKnowledgeJobs(t.runtime);
  await t.orm.schema.execute(`drop schema if exists "${t.orm.config.get('schema')}_jobs" cascade`);
  await t.close();
  await models.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A chunk of plain text: the whole of its document's `ordinal`th section. */
const PLAIN = { headingPath: [] as string[], page: null, slide: null, sheet: null, charStart: 0 };
const passage = (text: string, ordinal: number) => ({ ...PLAIN, ordinal, text, charEnd: text.length });

interface SeededJar {
  honeyJarId: string;
  owner: Viewer;
  texts: string[];
}

/** A jar holding one document of `count` chunks whose vectors `embedder` made (the old model by default). */
async function seedJar(tag: string, count: number, embedder: Embedder = before): Promise<SeededJar> {
  const owner = buildViewer();
  const { honeyJarId } = await buildJar(t.em(), { type: 'PRIVATE', ownerId: owner.id });
  const texts = Array.from(
    { length: count },
    (_, i) => `${tag} passage ${i}: the ${['queen', 'drone', 'worker'][i % 3]} bees of hive ${i * 7}`,
  );
  const vectors = embedder === before ? oldVectors : (await searchServices(t.runtime)).vectors;
  await new PostgresChromaChunkIndex(t.em, vectors, embedder).replaceDocumentChunks(
    { id: randomUUID(), honeyJarId, title: tag, fileType: 'text', createdAt: new Date(), version: 1 },
    texts.map((text, ordinal) => passage(text, ordinal)),
    await embedder.embed(texts),
  );
  return { honeyJarId, owner, texts };
}

/** Vector search as the jar's owner, with the runtime's services (old collections with the old model). */
async function vectorSearch(jar: SeededJar, query: string): Promise<string[]> {
  const s = await searchServices(t.runtime);
  const hits = await search(
    { em: t.em(), vectors: s.vectors, embedders: s.embedders, settings: DEFAULT_SEARCH_SETTINGS },
    jar.owner,
    { query, honeyJarIds: [jar.honeyJarId], mode: 'vector', first: 5 },
  );
  return hits.map((h) => h.text);
}

/** Searches over and over until stopped; resolves to the searches that did not find what they asked for. */
function keepSearching(jar: SeededJar, query: string): { stop(): Promise<string[]> } {
  const misses: string[] = [];
  let running = true;
  const loop = (async () => {
    let searches = 0;
    while (running) {
      try {
        const found = await vectorSearch(jar, query);
        if (!found.includes(query)) misses.push(`search ${searches} found ${JSON.stringify(found)}`);
      } catch (err) {
        misses.push(`search ${searches} failed: ${(err as Error).message}`);
      }
      searches++;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return misses;
    },
  };
}

async function servingModel(honeyJarId: string): Promise<string[]> {
  const serving = await (await searchServices(t.runtime)).vectors.servingIndexes(t.em(), [honeyJarId]);
  return serving.map((index) => modelKey(index));
}

async function newModel(): Promise<string> {
  return modelKey((await searchServices(t.runtime)).embedder);
}

const reindexJobs = (honeyJarId: string) => knowledgeJobs(t.runtime).reindex.jobs({ honeyJarId });

const until = (condition: () => boolean | Promise<boolean>, timeoutMs: number) =>
  waitFor(condition, { timeoutMs, intervalMs: 100 });

async function collectionCount(honeyJarId: string): Promise<number> {
  const embedder = (await searchServices(t.runtime)).embedder;
  const collection = await chroma.getCollection({ name: collectionName(honeyJarId, embedder) });
  return collection.count();
}

/** Whether Chroma holds the jar's collection of the old model. */
const oldCollection = (honeyJarId: string) =>
  chroma.getCollection({ name: collectionName(honeyJarId, before) }).then(
    () => true,
    () => false,
  );

/** How many of the jar's vectors the old model's shared collection holds. */
async function oldShared(honeyJarId: string): Promise<number> {
  const shared = await chroma.getCollection({ name: sharedCollectionName(before) });
  return (await shared.get({ where: { honey_jar_id: honeyJarId }, include: [] })).ids.length;
}

/** Whether Chroma holds a collection of the jar for either model. */
async function anyCollection(honeyJarId: string): Promise<boolean> {
  const embedder = (await searchServices(t.runtime)).embedder;
  const found = await Promise.all(
    [embedder, before].map((model) =>
      chroma.getCollection({ name: collectionName(honeyJarId, model) }).then(
        () => true,
        () => false,
      ),
    ),
  );
  return found.some(Boolean);
}

describe('re-indexing a jar', () => {
  it('keeps answering from the old collection until the new one is ready, then serves the new one', async () => {
    const jar = await seedJar('direct', 1);
    const after = (await searchServices(t.runtime)).embedder;
    expect(await staleJars(t.em(), after)).toContain(jar.honeyJarId);
    expect(await vectorSearch(jar, jar.texts[0])).toEqual([jar.texts[0]]);
    expect(await reindexJar(t.em(), oldVectors, after, jar.honeyJarId)).toEqual({
      result: 'done',
      chunks: 1,
      embedded: 1,
    });
    expect(await servingModel(jar.honeyJarId)).toEqual([modelKey(after)]);
    expect(await staleJars(t.em(), after)).not.toContain(jar.honeyJarId);
    expect(await vectorSearch(jar, jar.texts[0])).toEqual([jar.texts[0]]);
    // Again: nothing to do.
    expect((await reindexJar(t.em(), oldVectors, after, jar.honeyJarId)).result).toBe('current');
  });

  it('keeps the collection it replaces for searches that read it as serving, then drops it without a trace', async () => {
    const jar = await seedJar('retired', 2);
    const after = (await searchServices(t.runtime)).embedder;
    // A search reads which collection serves the jar; the re-index switches it before the search asks it.
    const [stale] = await oldVectors.servingIndexes(t.em(), [jar.honeyJarId]);
    const [query] = await before.embed([jar.texts[1]]);
    expect((await reindexJar(t.em(), oldVectors, after, jar.honeyJarId)).result).toBe('done');
    const [hit] = await oldVectors.nearest(t.em(), [stale], query, 1);
    expect(hit.distance).toBeLessThan(1e-3);
    expect(await oldCollection(jar.honeyJarId)).toBe(true);

    // Once no search can still be using it: dropped, with its record and its vectors in the shared collection.
    await until(async () => !(await oldCollection(jar.honeyJarId)), RETIRED_GRACE_MS + 10_000);
    expect(await t.em().find(VectorIndex, { honeyJarId: jar.honeyJarId })).toEqual([
      expect.objectContaining({ state: 'READY', model: after.model }),
    ]);
    expect(await oldShared(jar.honeyJarId)).toBe(0);
    // A search that outlived the grace finds nothing there, and does not make the collection again.
    expect(await oldVectors.nearest(t.em(), [stale], query, 1)).toEqual([]);
    expect(await oldCollection(jar.honeyJarId)).toBe(false);
  });

  it('drops at start what a process that stopped during the grace left retired', async () => {
    const jar = await seedJar('left', 1);
    const after = (await searchServices(t.runtime)).embedder;
    expect((await reindexJar(t.em(), oldVectors, after, jar.honeyJarId)).result).toBe('done');
    oldVectors.close(); // the process stops before dropping it
    const table = `"${t.orm.config.get('schema')}"."vector_index"`;
    await t.orm.em
      .getConnection()
      .execute(`update ${table} set retired_at = now() - interval '1 hour' where honey_jar_id = ?`, [
        jar.honeyJarId,
      ]);
    expect(await oldCollection(jar.honeyJarId)).toBe(true);
    // The next process starting job workers.
    expect(await new JarVectors(process.env.CHROMA_URL!).reclaimRetired(t.em())).toBe(1);
    expect(await oldCollection(jar.honeyJarId)).toBe(false);
    expect(await oldShared(jar.honeyJarId)).toBe(0);
    expect(await servingModel(jar.honeyJarId)).toEqual([modelKey(after)]);
    expect(await vectorSearch(jar, jar.texts[0])).toEqual([jar.texts[0]]);
  });
});

describe('re-indexing through jobs', () => {
  it('queues one job per stale jar however often knowledge starts, and re-indexes them while search answers', async () => {
    behaviour.set('first', () => 'hold');
    behaviour.set('second', () => 'hold');
    const first = await seedJar('first', 3);
    const second = await seedJar('second', 2);
    const current = await seedJar('current', 2, (await searchServices(t.runtime)).embedder);
    const probes = [keepSearching(first, first.texts[1]), keepSearching(second, second.texts[0])];

    await startJobWorkers(t.runtime);
    await until(async () => (await reindexJobs(first.honeyJarId)).length === 1, 10_000);
    await until(async () => (await reindexJobs(second.honeyJarId)).length === 1, 10_000);
    expect(await reindexJobs(current.honeyJarId)).toEqual([]);
    // Two more starts at once (replicas, restarts) while the jobs are open: nothing more is queued.
    const jobs = knowledgeJobs(t.runtime);
    const embedder = (await searchServices(t.runtime)).embedder;
    const again = await Promise.all([
      queueStaleJars(t.em(), jobs.reindex, embedder),
      queueStaleJars(t.em(), jobs.reindex, embedder),
    ]);
    expect(again).toEqual([0, 0]);
    expect(await reindexJobs(first.honeyJarId)).toHaveLength(1);
    expect((await reindexJobs(first.honeyJarId))[0].data).toMatchObject({ model: await newModel() });

    // Held at the model server: the old collections serve, the new ones are BUILDING.
    await until(() => held.length > 0, 10_000);
    expect(await servingModel(first.honeyJarId)).toEqual([modelKey(before)]);
    behaviour.clear();
    for (const { res } of held.splice(0)) res.destroy(); // that attempt fails; its retry embeds
    await until(async () => (await servingModel(first.honeyJarId))[0] === (await newModel()), 20_000);
    await until(async () => (await servingModel(second.honeyJarId))[0] === (await newModel()), 20_000);
    await until(async () => (await reindexJobs(second.honeyJarId))[0].state === 'completed', 10_000);

    expect(await Promise.all(probes.map((p) => p.stop()))).toEqual([[], []]);
    expect(await vectorSearch(first, first.texts[1])).toContain(first.texts[1]);
    expect(await collectionCount(first.honeyJarId)).toBe(3);
    expect(await staleJars(t.em(), embedder)).not.toContain(first.honeyJarId);
    // Once done, a start finds nothing stale for them.
    await queueStaleJars(t.em(), jobs.reindex, embedder);
    expect(await reindexJobs(first.honeyJarId)).toHaveLength(1);
  }, 60_000);

  it('finishes a re-index stopped half-way after a restart, embedding only what was missing', async () => {
    // Three pages of chunks; the model server holds the request after the first page.
    behaviour.set('resumed', (soFar) => (soFar >= 500 ? 'hold' : 'embed'));
    const jar = await seedJar('resumed', 1200);
    const probe = keepSearching(jar, jar.texts[1000]);
    await startJobWorkers(t.runtime);
    await until(() => held.length > 0, 30_000);
    expect(served.get('resumed')).toBe(500);
    expect(await collectionCount(jar.honeyJarId)).toBe(500);

    // A document ingested meanwhile goes to the new collection (ingestion embeds with the new model).
    const s = await searchServices(t.runtime);
    const added = 'meanwhile a swarm settled in the old oak';
    await s.chunkIndex.replaceDocumentChunks(
      {
        id: randomUUID(),
        honeyJarId: jar.honeyJarId,
        title: 'Swarm',
        fileType: 'text',
        createdAt: new Date(),
        version: 1,
      },
      [passage(added, 0)],
      await s.embedder.embed([added]),
    );
    expect(await servingModel(jar.honeyJarId)).toEqual([modelKey(before)]);

    // The worker stops during the job (its attempt is handed back); the model server is fine again.
    await closeKnowledgeJobs(t.runtime);
    behaviour.clear();
    for (const { res } of held.splice(0)) res.destroy();
    const [interrupted] = await reindexJobs(jar.honeyJarId);
    expect(interrupted.state).toBe('retry');

    await startJobWorkers(t.runtime);
    await until(async () => (await reindexJobs(jar.honeyJarId))[0].state === 'completed', 30_000);
    const jobs = await reindexJobs(jar.honeyJarId);
    expect(jobs).toHaveLength(1);
    expect(jobs[0].id).toBe(interrupted.id);
    expect(await servingModel(jar.honeyJarId)).toEqual([await newModel()]);
    // Page one was not embedded again; every chunk, the one ingested meanwhile too, has its vector.
    expect(served.get('resumed')).toBe(1200);
    expect(await collectionCount(jar.honeyJarId)).toBe(1201);
    expect(await vectorSearch(jar, added)).toContain(added);
    expect(await probe.stop()).toEqual([]);
  }, 90_000);

  it('retries a failing model server with backoff while the old collection keeps serving', async () => {
    let failures = 0;
    behaviour.set('failing', () => (++failures <= 2 ? 'fail' : 'embed'));
    const jar = await seedJar('failing', 4);
    const probe = keepSearching(jar, jar.texts[2]);
    await startJobWorkers(t.runtime);
    await until(async () => (await reindexJobs(jar.honeyJarId))[0]?.state === 'retry', 10_000);
    expect(await servingModel(jar.honeyJarId)).toEqual([modelKey(before)]);
    await until(async () => (await reindexJobs(jar.honeyJarId))[0]?.state === 'completed', 30_000);
    const [job] = await reindexJobs(jar.honeyJarId);
    expect(job.retryCount).toBe(2);
    expect(await servingModel(jar.honeyJarId)).toEqual([await newModel()]);
    expect(await probe.stop()).toEqual([]);
  }, 60_000);

  it('cancels the job of a deleted jar, and ends jobs with nothing to do as no-ops', async () => {
    behaviour.set('deleted', () => 'hold');
    const jar = await seedJar('deleted', 2);
    await startJobWorkers(t.runtime);
    await until(() => held.length > 0, 10_000);
    await removeJarContents(t.runtime, t.em(), jar.honeyJarId);
    expect((await reindexJobs(jar.honeyJarId))[0].state).toBe('cancelled');
    expect(await servingModel(jar.honeyJarId)).toEqual([]);
    // The attempt in flight is stopped by its signal, or writes its page and then finds the jar gone and drops
    // what it wrote: either way no collection of the jar is left in Chroma.
    for (const { answer } of held.splice(0)) answer();
    await until(() => served.get('deleted') === 2, 10_000);
    await until(async () => !(await anyCollection(jar.honeyJarId)), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await anyCollection(jar.honeyJarId)).toBe(false);

    // A jar deleted before its job ran, and one already served by the model: completed, nothing embedded.
    const current = await seedJar('current2', 2, (await searchServices(t.runtime)).embedder);
    const model = await newModel();
    const queue = knowledgeJobs(t.runtime).reindex;
    const gone = randomUUID();
    await queue.enqueue({ honeyJarId: gone, model });
    await queue.enqueue({ honeyJarId: current.honeyJarId, model });
    await until(async () => (await reindexJobs(gone))[0]?.state === 'completed', 10_000);
    await until(async () => (await reindexJobs(current.honeyJarId))[0]?.state === 'completed', 10_000);
    expect(await servingModel(current.honeyJarId)).toEqual([model]);
    expect(served.get('current2')).toBe(2); // its seeding only
  }, 60_000);
});
