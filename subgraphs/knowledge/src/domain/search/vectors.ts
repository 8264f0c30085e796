// The vector half of the index: one Chroma collection per honey jar and embedding model (cosine distance), with
// the `vector_index` table saying which collection serves search for each jar. A jar's collection records its
// model and dimension; vectors of another model go to a new collection, BUILDING until the jar is re-indexed,
// while search keeps using the READY one.
import { createHash } from 'node:crypto';
import type { ChromaClient, Collection, Metadata } from 'chromadb';
import {
  chromaQueryVector,
  createChromaClient,
  createChromaNearest,
  readRows,
  type ChromaNearest,
} from '@sting/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { VectorIndex } from '../../entities/vector-index.ts';
import { DEFAULT_SEARCH_SETTINGS } from './settings.ts';

/** What identifies the space vectors live in: vectors of different models are never compared. */
export interface EmbeddingModel {
  provider: string;
  model: string;
  dimension: number;
}

export const modelKey = (m: EmbeddingModel): string => `${m.provider}/${m.model}/${m.dimension}`;

export function collectionName(honeyJarId: string, model: EmbeddingModel): string {
  const tag = createHash('sha256').update(modelKey(model)).digest('hex').slice(0, 10);
  return `jar-${honeyJarId}-${tag}`;
}

export interface VectorRecord {
  id: string;
  vector: Float32Array;
  metadata: Metadata;
}

export interface VectorHit {
  id: string;
  distance: number;
}

export class JarVectors {
  #chroma: ChromaClient;
  #query: ChromaNearest;
  #collections = new Map<string, Promise<Collection>>();
  #efSearch: number;
  /** Changes to collections' configuration, one at a time: Chroma's catalogue (SQLite) locks on concurrent ones. */
  #configuring: Promise<unknown> = Promise.resolve();

  #logger: Pick<Logger, 'warn'> | undefined;

  /**
   * `chromaUrl`: the Chroma server. `efSearch`: the HNSW search breadth of every collection used, set on new ones
   * and recorded on older ones.
   */
  constructor(chromaUrl: string, options: { efSearch?: number; logger?: Pick<Logger, 'warn'> } = {}) {
    this.#chroma = createChromaClient(chromaUrl);
    this.#query = createChromaNearest(chromaUrl);
    this.#efSearch = options.efSearch ?? DEFAULT_SEARCH_SETTINGS.efSearch;
    this.#logger = options.logger;
  }

  #collection(name: string, honeyJarId: string, model: EmbeddingModel): Promise<Collection> {
    let found = this.#collections.get(name);
    if (!found) {
      found = this.#open(name, honeyJarId, model);
      found.catch(() => this.#collections.delete(name));
      this.#collections.set(name, found);
    }
    return found;
  }

  async #open(name: string, honeyJarId: string, model: EmbeddingModel): Promise<Collection> {
    const collection = await this.#chroma.getOrCreateCollection({
      name,
      configuration: { hnsw: { space: 'cosine', ef_search: this.#efSearch } },
      metadata: {
        honey_jar_id: honeyJarId,
        embedding_provider: model.provider,
        embedding_model: model.model,
        embedding_dimension: model.dimension,
      },
      embeddingFunction: null,
    });
    // A collection made before ef_search was changed in config keeps its own until told otherwise. Chroma
    // records the change at once and searches with it once it next loads the index (its next start). The first
    // search over many such jars would change them all at once: they are changed in turn instead.
    if (collection.configuration?.hnsw?.ef_search !== this.#efSearch) {
      const change = this.#configuring.then(() =>
        collection.modify({ configuration: { hnsw: { ef_search: this.#efSearch } } }),
      );
      this.#configuring = change.catch(() => undefined);
      // Only the setting for Chroma's next start is at stake: the collection serves as it is, and the next
      // process to open it tries again.
      await change.catch((err: unknown) =>
        this.#logger?.warn({ err, collection: name }, 'could not record ef_search on a Chroma collection'),
      );
    }
    return collection;
  }

  /** The jar's collection for this model, whatever `vector_index` records. */
  #ofModel(honeyJarId: string, model: EmbeddingModel): Promise<Collection> {
    return this.#collection(collectionName(honeyJarId, model), honeyJarId, model);
  }

  /**
   * The jar's collection for this model, recorded in `vector_index`: READY when the jar had none, BUILDING when
   * another model's collection is serving (it becomes READY through `promote` once the jar is re-indexed).
   */
  async collectionFor(em: EntityManager, honeyJarId: string, model: EmbeddingModel): Promise<Collection> {
    const name = collectionName(honeyJarId, model);
    const collection = await this.#collection(name, honeyJarId, model);
    const ready = await em.count(VectorIndex, { honeyJarId, state: 'READY', collection: { $ne: name } });
    await em.getConnection().execute(
      `insert into "${em.config.get('schema')}"."vector_index"
         (collection, honey_jar_id, provider, model, dimension, state, created_at) values (?, ?, ?, ?, ?, ?, now())
       on conflict (collection) do nothing`,
      [name, honeyJarId, model.provider, model.model, model.dimension, ready > 0 ? 'BUILDING' : 'READY'],
    );
    return collection;
  }

  /** Replaces a document's vectors in the jar's collection for this model. */
  async replaceDocument(
    em: EntityManager,
    honeyJarId: string,
    documentId: string,
    model: EmbeddingModel,
    records: readonly VectorRecord[],
  ): Promise<void> {
    for (const r of records) {
      if (r.vector.length !== model.dimension) {
        throw new Error(
          `a vector has ${r.vector.length} dimensions; ${model.model} makes ${model.dimension}`,
        );
      }
    }
    const collection = await this.collectionFor(em, honeyJarId, model);
    await collection.delete({ where: { document_id: documentId } });
    for (let i = 0; i < records.length; i += 1000) {
      const batch = records.slice(i, i + 1000);
      await collection.add({
        ids: batch.map((r) => r.id),
        embeddings: batch.map((r) => Array.from(r.vector)),
        metadatas: batch.map((r) => r.metadata),
      });
    }
  }

  /**
   * Records the jar's collection for this model as BUILDING beside the collection serving it (re-indexing), in
   * one statement, so a jar deleted meanwhile gets no record back. False when the jar has no serving collection.
   */
  async startBuilding(em: EntityManager, honeyJarId: string, model: EmbeddingModel): Promise<boolean> {
    const name = collectionName(honeyJarId, model);
    const table = `"${em.config.get('schema')}"."vector_index"`;
    await em.getConnection().execute(
      `insert into ${table} (collection, honey_jar_id, provider, model, dimension, state, created_at)
       select ?, ?, ?, ?, ?, 'BUILDING', now()
       where exists (select 1 from ${table} where honey_jar_id = ? and state = 'READY' and collection <> ?)
       on conflict (collection) do nothing`,
      [name, honeyJarId, model.provider, model.model, model.dimension, honeyJarId, name],
    );
    if (!(await this.isRecorded(em, honeyJarId, model))) return false;
    await this.#collection(name, honeyJarId, model);
    return true;
  }

  /** Whether `vector_index` still records the jar's collection for this model (a deleted jar's records are gone). */
  async isRecorded(em: EntityManager, honeyJarId: string, model: EmbeddingModel): Promise<boolean> {
    return (await em.count(VectorIndex, { collection: collectionName(honeyJarId, model) })) > 0;
  }

  /** Those of `ids` the jar's collection for this model does not hold. */
  async missing(honeyJarId: string, model: EmbeddingModel, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const collection = await this.#ofModel(honeyJarId, model);
    const held = new Set((await collection.get({ ids: [...ids], include: [] })).ids);
    return ids.filter((id) => !held.has(id));
  }

  /** Adds or replaces vectors by id in the jar's collection for this model (re-indexing; see startBuilding). */
  async upsert(honeyJarId: string, model: EmbeddingModel, records: readonly VectorRecord[]): Promise<void> {
    if (records.length === 0) return;
    const collection = await this.#ofModel(honeyJarId, model);
    await collection.upsert({
      ids: records.map((r) => r.id),
      embeddings: records.map((r) => Array.from(r.vector)),
      metadatas: records.map((r) => r.metadata),
    });
  }

  /** Removes vectors by id from the jar's collection for this model. */
  async remove(honeyJarId: string, model: EmbeddingModel, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const collection = await this.#ofModel(honeyJarId, model);
    await collection.delete({ ids: [...ids] });
  }

  /** Removes a document's vectors from every collection of the jar (serving and building). */
  async removeDocument(em: EntityManager, honeyJarId: string, documentId: string): Promise<void> {
    for (const index of await em.find(VectorIndex, { honeyJarId })) {
      const collection = await this.#collection(index.collection, honeyJarId, index);
      await collection.delete({ where: { document_id: documentId } });
    }
  }

  async removeJar(em: EntityManager, honeyJarId: string): Promise<void> {
    for (const index of await em.find(VectorIndex, { honeyJarId })) await this.#drop(index.collection);
    await em.nativeDelete(VectorIndex, { honeyJarId });
  }

  /**
   * Makes the jar's collection for this model the serving one and drops the ones it replaces, the records in one
   * transaction (search sees the old collection or the new one). False when the collection's record is gone (the
   * jar was deleted meanwhile): then the collection is dropped too.
   */
  async promote(em: EntityManager, honeyJarId: string, model: EmbeddingModel): Promise<boolean> {
    const name = collectionName(honeyJarId, model);
    const replaced = await em.transactional(async (tx) => {
      if ((await tx.nativeUpdate(VectorIndex, { collection: name }, { state: 'READY' })) === 0) return null;
      const old = await tx.find(VectorIndex, { honeyJarId, collection: { $ne: name } });
      await tx.nativeDelete(VectorIndex, { honeyJarId, collection: { $ne: name } });
      return old.map((index) => index.collection);
    });
    for (const collection of replaced ?? [name]) await this.#drop(collection);
    return replaced !== null;
  }

  /** Drops the jar's collection for this model from Chroma, whatever records say (one left by a deleted jar). */
  async drop(honeyJarId: string, model: EmbeddingModel): Promise<void> {
    await this.#drop(collectionName(honeyJarId, model));
  }

  async #drop(collection: string): Promise<void> {
    this.#collections.delete(collection);
    await this.#chroma.deleteCollection({ name: collection }).catch(() => undefined);
  }

  /**
   * The serving index of each of these jars (jars without vectors are left out), as rows (readRows: every search
   * asks, for every jar it searches).
   */
  async servingIndexes(em: EntityManager, jarIds: readonly string[]): Promise<VectorIndex[]> {
    if (jarIds.length === 0) return [];
    return readRows(em, VectorIndex, { honeyJarId: { $in: [...jarIds] }, state: 'READY' });
  }

  /**
   * The `limit` nearest chunks to `vector` across these serving indexes (all of one model), closest first. A
   * collection holds one jar's vectors only, so querying just the readable jars' collections is the pre-filter;
   * no metadata `where` is added (Chroma then filters through its metadata store first: about 10x slower,
   * 45 ms against 4 ms at 5k vectors in one run), and search reads every hit back through the SQL read rule.
   */
  async nearest(indexes: readonly VectorIndex[], vector: Float32Array, limit: number): Promise<VectorHit[]> {
    const query = chromaQueryVector(vector);
    // Across many jars each holds a share of the best: asking every jar for all `limit` would move jars x limit
    // results for `limit` kept. Four times the even share (at least 20) keeps the top of the list, which is what
    // fusion weighs most, unless one jar holds nearly all of the nearest.
    const perJar =
      indexes.length > 1 ? Math.min(limit, Math.max(20, Math.ceil((4 * limit) / indexes.length))) : limit;
    const found = await Promise.all(
      indexes.map(async (index) => {
        const collection = await this.#collection(index.collection, index.honeyJarId, index);
        const { ids, distances } = await this.#query(collection, query, perJar);
        return ids.map((id, i) => ({ id, distance: distances[i] }));
      }),
    );
    return found
      .flat()
      .sort((a, b) => a.distance - b.distance)
      .slice(0, limit);
  }
}
