// Each model's shared collection, against real PostgreSQL and Chroma: every vector a jar's collection holds is
// mirrored there under an id led by its jar's, written, replaced and removed with it; a search over many jars asks
// it alone and keeps the searched jars' hits only (another jar's passage, however close, never comes back); a jar
// whose collection was made before the mirror is copied over by the re-index job, with no embedding.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createChromaClient } from '@sting/kit';
import { startTestRuntime, type TestRuntime } from '@sting/kit/testing';
import { VectorIndex } from '../src/entities/vector-index.ts';
import type { IndexableChunk } from '../src/domain/search/chunk-index.ts';
import { chunkTable } from '../src/domain/search/keyword.ts';
import { reindexJar, staleJars } from '../src/domain/search/reindex.ts';
import { search } from '../src/domain/search/search.ts';
import { searchServices, type SearchServices } from '../src/domain/search/services.ts';
import {
  collectionName,
  JarVectors,
  sharedCollectionName,
  type EmbeddingModel,
} from '../src/domain/search/vectors.ts';
import { subgraph } from '../src/index.ts';
import { buildJar, buildViewer } from './factories.ts';

const chroma = createChromaClient(process.env.CHROMA_URL!);
let t: TestRuntime;
let s: SearchServices;
let model: EmbeddingModel;
beforeAll(async () => {
  t = await startTestRuntime(subgraph, { config: { chroma: { url: process.env.CHROMA_URL } } });
  s = await searchServices(t.runtime);
  model = { provider: s.embedder.provider, model: s.embedder.model, dimension: s.embedder.dimension };
});
afterAll(async () => {
  await t.close();
});

const chunk = (ordinal: number, text: string): IndexableChunk => ({
  ordinal,
  text,
  headingPath: [],
  page: 1,
  slide: null,
  sheet: null,
  charStart: 0,
  charEnd: text.length,
});

async function indexDocument(honeyJarId: string, title: string, texts: string[]): Promise<string> {
  const id = randomUUID();
  const chunks = texts.map((text, i) => chunk(i, text));
  await s.chunkIndex.replaceDocumentChunks(
    { id, honeyJarId, title, fileType: 'markdown', createdAt: new Date(), version: 1 },
    chunks,
    await s.embedder.embed(texts),
  );
  return id;
}

/** The jar's chunk ids, as the shared collection names them. */
async function sharedIds(honeyJarId: string): Promise<string[]> {
  const rows = await t
    .em()
    .getConnection()
    .execute<{ id: string }[]>(`select id from ${chunkTable(t.em())} where honey_jar_id = ? order by id`, [
      honeyJarId,
    ]);
  return rows.map((row) => `${honeyJarId}/${row.id}`);
}

/** Of these shared ids, those the shared collection holds. */
async function heldInShared(ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const shared = await chroma.getCollection({
    name: sharedCollectionName(model),
    embeddingFunction: null,
  } as never);
  return (await shared.get({ ids, include: [] })).ids.sort();
}

const servingIndexes = (jarIds: string[]) => s.vectors.servingIndexes(t.em(), jarIds);

describe("a model's shared collection", () => {
  let owner: ReturnType<typeof buildViewer>;
  let ownJars: string[];
  let otherJar: string;
  // Words no other test writes: the vectors nearest to this file's queries are this file's, whatever other test
  // files running at the same time put in the shared collection.
  const OTHER_TEXT = 'The zorvath excluder sits between the quillmere box and the honey super.';

  beforeAll(async () => {
    owner = buildViewer();
    ownJars = [];
    for (let i = 0; i < 10; i++) {
      ownJars.push((await buildJar(t.em(), { type: 'PRIVATE', ownerId: owner.id })).honeyJarId);
      await indexDocument(ownJars[i], `Apiary ${i}`, [
        `Zorvath hive ${i} was inspected on a warm morning; its quillmere held brood on ${i + 3} frames.`,
        `Zorvath hive ${i} received a new queen after the old one failed to lay in early summer.`,
        `Zorvath hive ${i} stores ${20 + i} kilograms of honey beside the quillmere box.`,
      ]);
    }
    otherJar = (await buildJar(t.em(), { type: 'PRIVATE', ownerId: randomUUID() })).honeyJarId;
    await indexDocument(otherJar, 'Equipment', [OTHER_TEXT]);
  });

  it("mirrors every vector of a jar's collection under an id led by the jar's", async () => {
    for (const jar of [...ownJars, otherJar]) {
      const ids = await sharedIds(jar);
      expect(ids.length).toBeGreaterThan(0);
      expect(await heldInShared(ids)).toEqual(ids);
    }
    const indexes = await servingIndexes(ownJars);
    expect(indexes.every((index) => index.shared)).toBe(true);
    // Each with its jar's chunks, by which search weighs the shared collection.
    for (const index of indexes) expect(index.chunks).toBe((await sharedIds(index.honeyJarId)).length);
  });

  it("answers a search over many jars from the shared collection alone, never with another jar's vectors", async () => {
    const indexes = await servingIndexes(ownJars);
    const [query] = await s.embedder.embed([OTHER_TEXT]);
    const fannedOut = await s.vectors.nearest(
      t.em(),
      indexes.map((index) => ({ ...index, shared: false })),
      query,
      5,
    );
    expect(fannedOut).toHaveLength(5);
    // Each jar's own collection gone behind the store's back (no later test asks them): only the shared
    // collection can answer now.
    for (const jar of ownJars) await chroma.deleteCollection({ name: collectionName(jar, model) });
    const shared = await new JarVectors(process.env.CHROMA_URL!).nearest(t.em(), indexes, query, 5);
    expect(shared.map((hit) => hit.id)).toEqual(fannedOut.map((hit) => hit.id));
    const own = new Set((await Promise.all(ownJars.map(sharedIds))).flat().map((id) => id.split('/')[1]));
    expect(shared.every((hit) => own.has(hit.id))).toBe(true);
    // The other jar's passage, the nearest of all to the query, is left out.
    const [otherChunk] = (await sharedIds(otherJar)).map((id) => id.split('/')[1]);
    expect(shared.map((hit) => hit.id)).not.toContain(otherChunk);
  });

  it("asks the shared collection for more when other jars' vectors crowd the nearest, not every jar", async () => {
    // Forty passages of another jar are nearer to the query than any of the searched jars', more than the first
    // asking's share-based count; each searched jar's own collection is gone (the test above), so only the
    // shared collection, asked again for more, can answer.
    const crowd = (await buildJar(t.em(), { type: 'PRIVATE', ownerId: randomUUID() })).honeyJarId;
    const crowding = Array.from(
      { length: 40 },
      (_, i) => `Zorvath brimlock feeder ${i} is filled with brimlock syrup from the feeder ladle.`,
    );
    const crowdDocument = await indexDocument(crowd, 'Feeders', crowding);
    const indexes = await servingIndexes(ownJars);
    const [query] = await s.embedder.embed(['zorvath brimlock feeder syrup ladle']);
    const hits = await new JarVectors(process.env.CHROMA_URL!).nearest(t.em(), indexes, query, 5);
    expect(hits).toHaveLength(5);
    const own = new Set((await Promise.all(ownJars.map(sharedIds))).flat().map((id) => id.split('/')[1]));
    expect(hits.every((hit) => own.has(hit.id))).toBe(true);
    expect(hits.map((hit) => hit.distance)).toEqual(
      [...hits.map((hit) => hit.distance)].sort((a, b) => a - b),
    );
    await s.chunkIndex.removeDocument(crowdDocument, crowd);
  });

  it('finds the same passages through search whether the jars are mirrored or not', async () => {
    const jars = Array.from({ length: 9 }, () => '');
    const viewer = buildViewer();
    for (let i = 0; i < jars.length; i++) {
      jars[i] = (await buildJar(t.em(), { type: 'PRIVATE', ownerId: viewer.id })).honeyJarId;
      await indexDocument(jars[i], `Orchard ${i}`, [
        `Row ${i} of pellumbra trees flowers in late April and is visited by the bees of the orchard.`,
        `Row ${i} of pellumbra was pruned in February, leaving the fruiting spurs.`,
      ]);
    }
    const ask = () =>
      search({ em: t.em(), ...s }, viewer, {
        query: 'when do the pellumbra trees flower',
        mode: 'vector',
        first: 10,
      });
    const mirrored = await ask();
    expect(mirrored.length).toBeGreaterThan(0);
    await t.em().nativeUpdate(VectorIndex, { honeyJarId: { $in: jars } }, { shared: false });
    const alone = await ask();
    // The same passages, equally near. Chroma's distances from the shared collection and from a jar's own may
    // differ in the last float32 digit, which may swap passages that embed alike ("Row 3" and "Row 4").
    expect(alone.map((hit) => hit.chunkId).sort()).toEqual(mirrored.map((hit) => hit.chunkId).sort());
    alone.forEach((hit, i) => expect(hit.similarity).toBeCloseTo(mirrored[i].similarity!, 5));
    await t.em().nativeUpdate(VectorIndex, { honeyJarId: { $in: jars } }, { shared: true });
  });

  it('replaces and removes a document, and removes a jar, in the shared collection too', async () => {
    const jar = (await buildJar(t.em(), { type: 'PRIVATE', ownerId: owner.id })).honeyJarId;
    const documentId = await indexDocument(jar, 'Notes', ['First version of the notes.']);
    const first = await sharedIds(jar);
    expect(await heldInShared(first)).toEqual(first);
    await s.chunkIndex.replaceDocumentChunks(
      {
        id: documentId,
        honeyJarId: jar,
        title: 'Notes',
        fileType: 'markdown',
        createdAt: new Date(),
        version: 2,
      },
      [chunk(0, 'Second version of the notes.')],
      await s.embedder.embed(['Second version of the notes.']),
    );
    const second = await sharedIds(jar);
    expect(await heldInShared(first)).toEqual([]);
    expect(await heldInShared(second)).toEqual(second);

    await s.chunkIndex.removeDocument(documentId, jar);
    expect(await heldInShared(second)).toEqual([]);

    await indexDocument(jar, 'More notes', ['Notes written after the first were removed.']);
    const third = await sharedIds(jar);
    expect(await heldInShared(third)).toEqual(third);
    await s.chunkIndex.removeJar(jar);
    expect(await heldInShared(third)).toEqual([]);
  });

  it('copies a jar made before the mirror into the shared collection through the re-index job', async () => {
    const jar = (await buildJar(t.em(), { type: 'PRIVATE', ownerId: owner.id })).honeyJarId;
    await indexDocument(jar, 'Old notes', ['Written before vectors were mirrored.', 'A second old passage.']);
    const ids = await sharedIds(jar);
    // As a jar indexed before the mirror existed: its collection only, recorded as not mirrored.
    const shared = await chroma.getCollection({
      name: sharedCollectionName(model),
      embeddingFunction: null,
    } as never);
    await shared.delete({ ids });
    await t.em().nativeUpdate(VectorIndex, { honeyJarId: jar }, { shared: false });
    expect(await staleJars(t.em(), s.embedder)).toContain(jar);

    const outcome = await reindexJar(t.em(), s.vectors, s.embedder, jar);
    expect(outcome).toEqual({ result: 'shared', chunks: 2, embedded: 2 });
    expect(await heldInShared(ids)).toEqual(ids);
    expect(await staleJars(t.em(), s.embedder)).not.toContain(jar);
    expect(await reindexJar(t.em(), s.vectors, s.embedder, jar)).toEqual({
      result: 'current',
      chunks: 0,
      embedded: 0,
    });
  });
});

describe('a collection another replica dropped, or dropped and made again', () => {
  const records = async (texts: string[], documentId: string, honeyJarId: string) => {
    const vectors = await s.embedder.embed(texts);
    return texts.map((text, i) => ({
      id: randomUUID(),
      vector: vectors[i],
      metadata: { honey_jar_id: honeyJarId, document_id: documentId, chunk_index: i },
    }));
  };

  it('is opened again instead of failing every write, removal and search for ever with the handle kept', async () => {
    // Two replicas: each keeps its own handles on the collections it used.
    const a = new JarVectors(process.env.CHROMA_URL!);
    const b = new JarVectors(process.env.CHROMA_URL!);
    const jar = (await buildJar(t.em(), { type: 'PRIVATE', ownerId: randomUUID() })).honeyJarId;
    const first = await records(['The wintering cluster keeps the queen warm.'], randomUUID(), jar);
    await a.replaceDocument(t.em(), jar, first[0].metadata.document_id as string, model, first);

    // B drops the jar's collection and makes it again (a model changed and back): A's handle names the old one.
    await b.drop(jar, model);
    const second = await records(['Oxalic acid is applied when the colony is broodless.'], randomUUID(), jar);
    await b.replaceDocument(t.em(), jar, second[0].metadata.document_id as string, model, second);
    const third = await records(['Mouse guards go on the entrances in autumn.'], randomUUID(), jar);
    await a.replaceDocument(t.em(), jar, third[0].metadata.document_id as string, model, third);
    const held = await chroma.getCollection({
      name: collectionName(jar, model),
      embeddingFunction: null,
    } as never);
    expect((await held.get({ include: [] })).ids.sort()).toEqual([second[0].id, third[0].id].sort());
    const [index] = await servingIndexes([jar]);
    const hits = await a.nearest(t.em(), [index], third[0].vector, 5);
    expect(hits[0]).toMatchObject({ id: third[0].id });

    // B drops it for good (the jar deleted): A's removals find nothing to remove, and do not fail.
    await b.drop(jar, model);
    await expect(a.remove(jar, model, [third[0].id])).resolves.toBeUndefined();
    await expect(
      a.removeDocument(t.em(), jar, third[0].metadata.document_id as string),
    ).resolves.toBeUndefined();
    await t.em().nativeDelete(VectorIndex, { honeyJarId: jar });
  });
});
