// The vector half of the index: one Chroma collection per honey jar and embedding model (cosine distance), with
// the `vector_index` table saying which collection serves search for each jar. A jar's collection records its
// model and dimension; vectors of another model go to a new collection, BUILDING until the jar is re-indexed,
// while search keeps using the READY one. The collection a re-index replaces is RETIRED, and dropped only once no
// search that read it as serving can still be running (reclaimRetired): search reads which collection serves a
// jar, then asks it, and a collection dropped in between answered as if the jar held nothing.
//
// Every vector is mirrored in its model's shared collection too, under an id led by its jar's (`<jar>/<chunk>`).
// Chroma spends about 0.8 ms of CPU on each collection a query asks, whatever its size, so a search over 100
// jars cost 80 ms in Chroma alone; asking the shared collection once for more results and keeping those of the
// searched jars costs what one collection does. Chroma's metadata filter is no way out: it is slower than asking
// every collection (50 ms for one jar's vectors among 100k). So the shared collection serves a search over many
// jars that hold a good share of it, and each jar's own collection every other search (see nearest).
import { createHash } from 'node:crypto';
import type { ChromaClient, Collection, Metadata } from 'chromadb';
import {
  chromaQueryVector,
  createChromaClient,
  createChromaNearest,
  isChromaNotFound,
  preparedRows,
  sharedPromise,
  uuidArray,
  type ChromaNearest,
  type ChromaQueryVector,
} from '@sting/kit';
import { raw, type EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { VectorIndex } from '../../entities/vector-index.ts';
import { allJarChunks } from './keyword.ts';
import { DEFAULT_SEARCH_SETTINGS } from './settings.ts';

/** What identifies the space vectors live in: vectors of different models are never compared. */
export interface EmbeddingModel {
  provider: string;
  model: string;
  dimension: number;
}

export const modelKey = (m: EmbeddingModel): string => `${m.provider}/${m.model}/${m.dimension}`;

const modelTag = (model: EmbeddingModel) =>
  createHash('sha256').update(modelKey(model)).digest('hex').slice(0, 10);

export function collectionName(honeyJarId: string, model: EmbeddingModel): string {
  return `jar-${honeyJarId}-${modelTag(model)}`;
}

/** The collection mirroring every jar's vectors of this model. */
export function sharedCollectionName(model: EmbeddingModel): string {
  return `shared-${modelTag(model)}`;
}

/** A vector's id in the shared collection: its jar's id, then its own (a chunk's). */
const sharedId = (honeyJarId: string, id: string) => `${honeyJarId}/${id}`;

/** A search asks the shared collection when it searches at least this many jars mirrored there... */
const SHARED_MIN_JARS = 8;
/** ...holding at least this share of its vectors. */
const SHARED_MIN_SHARE = 0.25;
/** The most results asked of the shared collection (Chroma's cost grows with them: 7 ms for 400 of 100k). */
const SHARED_MAX_RESULTS = 1000;
/** How long the count of every jar's chunks is kept before it is read again. */
const POOL_COUNT_TTL_MS = 10_000;
/** How long the vector half of a search may take before search answers from keywords alone. */
export const VECTOR_TIMEOUT_MS = 2000;
/**
 * How long a collection that stopped serving is kept: longer than any search that read it as serving may still
 * use what it finds there (its vector half is given up after VECTOR_TIMEOUT_MS).
 */
export const RETIRED_GRACE_MS = VECTOR_TIMEOUT_MS + 1000;

/** What search and re-indexing read of a jar's serving index, with how many chunks the jar holds. */
export type ServingIndex = Pick<
  VectorIndex,
  'collection' | 'honeyJarId' | 'provider' | 'model' | 'dimension' | 'shared'
> & { chunks: number };

export interface VectorRecord {
  id: string;
  vector: Float32Array;
  metadata: Metadata;
}

/** Records as Chroma's add and upsert take them, under the ids `idOf` gives. */
function chromaRecords(records: readonly VectorRecord[], idOf = (id: string) => id) {
  return {
    ids: records.map((r) => idOf(r.id)),
    embeddings: records.map((r) => Array.from(r.vector)),
    metadatas: records.map((r) => r.metadata),
  };
}

export interface VectorHit {
  id: string;
  distance: number;
}

/** Nearest first; equal distances (passages that embed alike) in id order, the same order every time. */
export const byDistance = (a: VectorHit, b: VectorHit): number =>
  a.distance - b.distance || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Pauses before each new attempt at recording a collection's setting: Chroma keeps collections in SQLite, which
 * answers "database is locked" while another write holds it, and a moment later takes the same change.
 */
const SETTING_RETRY_MS = [100, 400, 1600] as const;

/** `attempt` until it succeeds, once more after each pause; the last failure if none does (not found: at once). */
async function retried<T>(attempt: () => Promise<T>): Promise<T> {
  for (const pause of SETTING_RETRY_MS) {
    try {
      return await attempt();
    } catch (err) {
      if (isChromaNotFound(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
  return attempt();
}

export class JarVectors {
  #chroma: ChromaClient;
  #query: ChromaNearest;
  #collections = new Map<string, Promise<Collection>>();
  /** Every jar's chunks, as last counted (see #share). */
  #allChunks: { chunks: number; at: number } | undefined;
  #efSearch: number;
  /** Changes to collections' configuration, one at a time: Chroma's catalogue (SQLite) locks on concurrent ones. */
  #configuring: Promise<unknown> = Promise.resolve();

  #logger: Pick<Logger, 'warn'> | undefined;
  /** The next drop of retired collections, when one is waiting for its grace to end (see reclaimRetired). */
  #reclaim: NodeJS.Timeout | undefined;

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

  /**
   * `honeyJarId`: the jar a collection is for; null for a model's shared collection. `create`: false where the
   * collection is only read (search, removals), so one dropped meanwhile is not made again, empty and unrecorded:
   * the promise rejects with Chroma's not-found error instead.
   */
  #collection(
    name: string,
    honeyJarId: string | null,
    model: EmbeddingModel,
    create = true,
  ): Promise<Collection> {
    return sharedPromise(this.#collections, name, () => this.#open(name, honeyJarId, model, create));
  }

  /**
   * Runs `use` on the named collection. A handle this process kept for a collection that another replica dropped
   * (and perhaps made again: a model changed back) answers Chroma's not-found: it is forgotten and the collection
   * opened once more (made, when `create`), so the call is not failed, and its job retried, for ever. Not found
   * when opened afresh either: the error, for the caller to read as "gone".
   */
  async #using<T>(
    name: string,
    honeyJarId: string | null,
    model: EmbeddingModel,
    create: boolean,
    use: (collection: Collection) => Promise<T>,
  ): Promise<T> {
    const kept = this.#collections.get(name);
    const collection = await this.#collection(name, honeyJarId, model, create);
    try {
      return await use(collection);
    } catch (err) {
      if (kept === undefined || !isChromaNotFound(err)) throw err;
      if (this.#collections.get(name) === kept) this.#collections.delete(name);
      return use(await this.#collection(name, honeyJarId, model, create));
    }
  }

  async #open(
    name: string,
    honeyJarId: string | null,
    model: EmbeddingModel,
    create: boolean,
  ): Promise<Collection> {
    const collection = create
      ? await this.#chroma.getOrCreateCollection({
          name,
          configuration: { hnsw: { space: 'cosine', ef_search: this.#efSearch } },
          metadata: {
            ...(honeyJarId === null ? {} : { honey_jar_id: honeyJarId }),
            embedding_provider: model.provider,
            embedding_model: model.model,
            embedding_dimension: model.dimension,
          },
          embeddingFunction: null,
        })
      : await this.#chroma.getCollection({ name });
    // A collection made before ef_search was changed in config keeps its own until told otherwise. Chroma
    // records the change at once and searches with it once it next loads the index (its next start). The first
    // search over many such jars would change them all at once: they are changed in turn instead.
    if (collection.configuration?.hnsw?.ef_search !== this.#efSearch) {
      const change = this.#configuring.then(() =>
        retried(() => collection.modify({ configuration: { hnsw: { ef_search: this.#efSearch } } })),
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

  /**
   * Runs `use` on the named collection when Chroma has it (a retired one may have been dropped meanwhile, here or
   * by another replica); nothing when it has not.
   */
  async #usingExisting(
    name: string,
    honeyJarId: string,
    model: EmbeddingModel,
    use: (collection: Collection) => Promise<unknown>,
  ): Promise<void> {
    try {
      await this.#using(name, honeyJarId, model, false, use);
    } catch (err) {
      if (!isChromaNotFound(err)) throw err;
      this.#collections.delete(name);
    }
  }

  /** Runs `use` on the jar's collection for this model, whatever `vector_index` records (made when missing). */
  #usingModel<T>(honeyJarId: string, model: EmbeddingModel, use: (collection: Collection) => Promise<T>) {
    return this.#using(collectionName(honeyJarId, model), honeyJarId, model, true, use);
  }

  /** Runs `use` on the model's shared collection (made when missing). */
  #usingShared<T>(model: EmbeddingModel, use: (collection: Collection) => Promise<T>): Promise<T> {
    return this.#using(sharedCollectionName(model), null, model, true, use);
  }

  /** Adds or replaces records in the model's shared collection, under their jar-led ids. */
  async #mirror(honeyJarId: string, model: EmbeddingModel, records: readonly VectorRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.#usingShared(model, (shared) =>
      shared.upsert(chromaRecords(records, (id) => sharedId(honeyJarId, id))),
    );
  }

  /**
   * Removes a jar's vectors from the model's shared collection (its collection of that model dropped). A failure
   * is logged, not thrown: what is left behind belongs to no searched jar's serving index, so search skips it.
   */
  async #unmirrorJar(honeyJarId: string, model: EmbeddingModel): Promise<void> {
    try {
      await this.#usingShared(model, (shared) => shared.delete({ where: { honey_jar_id: honeyJarId } }));
    } catch (err) {
      this.#logger?.warn({ err, honeyJarId }, "could not remove a jar's vectors from the shared collection");
    }
  }

  /**
   * The jar's collection for this model, recorded in `vector_index`: READY when the jar had none, BUILDING when
   * another model's collection is serving (it becomes READY through `promote` once the jar is re-indexed).
   */
  async collectionFor(em: EntityManager, honeyJarId: string, model: EmbeddingModel): Promise<void> {
    const name = collectionName(honeyJarId, model);
    await this.#collection(name, honeyJarId, model);
    const ready = await em.count(VectorIndex, { honeyJarId, state: 'READY', collection: { $ne: name } });
    await em.getConnection().execute(
      `insert into "${em.config.get('schema')}"."vector_index"
         (collection, honey_jar_id, provider, model, dimension, state, shared, created_at)
         values (?, ?, ?, ?, ?, ?, true, now())
       on conflict (collection) do nothing`,
      [name, honeyJarId, model.provider, model.model, model.dimension, ready > 0 ? 'BUILDING' : 'READY'],
    );
  }

  /** Replaces a document's vectors in the jar's collection for this model, and in the shared one. */
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
    await this.collectionFor(em, honeyJarId, model);
    const where = { document_id: documentId };
    await Promise.all([
      this.#usingModel(honeyJarId, model, (collection) => collection.delete({ where })),
      this.#usingShared(model, (shared) => shared.delete({ where })),
    ]);
    for (let i = 0; i < records.length; i += 1000) {
      const batch = records.slice(i, i + 1000);
      await Promise.all([
        this.#usingModel(honeyJarId, model, (collection) => collection.add(chromaRecords(batch))),
        this.#mirror(honeyJarId, model, batch),
      ]);
    }
  }

  /**
   * Records the jar's collection for this model as BUILDING beside the collection serving it (re-indexing), in
   * one statement, so a jar deleted meanwhile gets no record back; one of this model retired a moment ago (the
   * model changed back) is taken up again. False when the jar has no serving collection.
   */
  async startBuilding(em: EntityManager, honeyJarId: string, model: EmbeddingModel): Promise<boolean> {
    const name = collectionName(honeyJarId, model);
    const table = `"${em.config.get('schema')}"."vector_index"`;
    await em.getConnection().execute(
      `insert into ${table} (collection, honey_jar_id, provider, model, dimension, state, shared, created_at)
       select ?, ?, ?, ?, ?, 'BUILDING', true, now()
       where exists (select 1 from ${table} where honey_jar_id = ? and state = 'READY' and collection <> ?)
       on conflict (collection) do update set state = 'BUILDING', retired_at = null
         where ${table}.state = 'RETIRED'`,
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
    const held = await this.#usingModel(honeyJarId, model, (collection) =>
      collection.get({ ids: [...ids], include: [] }),
    );
    const kept = new Set(held.ids);
    return ids.filter((id) => !kept.has(id));
  }

  /** Adds or replaces vectors by id in the jar's collection for this model (re-indexing; see startBuilding). */
  async upsert(honeyJarId: string, model: EmbeddingModel, records: readonly VectorRecord[]): Promise<void> {
    if (records.length === 0) return;
    await Promise.all([
      this.#usingModel(honeyJarId, model, (collection) => collection.upsert(chromaRecords(records))),
      this.#mirror(honeyJarId, model, records),
    ]);
  }

  /**
   * Removes vectors by id from the jar's collection for this model (when it still exists: one dropped meanwhile is
   * not made again), and from the shared one.
   */
  async remove(honeyJarId: string, model: EmbeddingModel, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await Promise.all([
      this.#usingExisting(collectionName(honeyJarId, model), honeyJarId, model, (collection) =>
        collection.delete({ ids: [...ids] }),
      ),
      this.#usingShared(model, (shared) => shared.delete({ ids: ids.map((id) => sharedId(honeyJarId, id)) })),
    ]);
  }

  /**
   * Copies the vectors of these ids from the jar's collection for this model into the shared one (a collection
   * made before vectors were mirrored; see reindex.ts). Ids the jar's collection does not hold are skipped: the
   * ids copied are answered.
   */
  async mirrorIds(honeyJarId: string, model: EmbeddingModel, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const held = await this.#usingModel(honeyJarId, model, (collection) =>
      collection.get({ ids: [...ids], include: ['embeddings', 'metadatas'] }),
    );
    await this.#mirror(
      honeyJarId,
      model,
      held.ids.map((id, i) => ({
        id,
        vector: Float32Array.from(held.embeddings[i]),
        metadata: held.metadatas[i] ?? {},
      })),
    );
    return held.ids;
  }

  /** Records the jar's collection for this model as mirrored in the shared one (search may ask that instead). */
  async markShared(em: EntityManager, honeyJarId: string, model: EmbeddingModel): Promise<void> {
    await em.nativeUpdate(VectorIndex, { collection: collectionName(honeyJarId, model) }, { shared: true });
  }

  /** Removes a document's vectors from every collection of the jar (serving and building) and the shared ones. */
  async removeDocument(em: EntityManager, honeyJarId: string, documentId: string): Promise<void> {
    const models = new Map<string, EmbeddingModel>();
    for (const index of await em.find(VectorIndex, { honeyJarId })) {
      models.set(modelKey(index), index);
      await this.#usingExisting(index.collection, honeyJarId, index, (collection) =>
        collection.delete({ where: { document_id: documentId } }),
      );
    }
    for (const model of models.values())
      await this.#usingShared(model, (shared) => shared.delete({ where: { document_id: documentId } }));
  }

  async removeJar(em: EntityManager, honeyJarId: string): Promise<void> {
    for (const index of await em.find(VectorIndex, { honeyJarId })) {
      await this.#drop(index.collection);
      await this.#unmirrorJar(honeyJarId, index);
    }
    await em.nativeDelete(VectorIndex, { honeyJarId });
  }

  /**
   * Makes the jar's collection for this model the serving one and retires the ones it replaces, in one
   * transaction (search sees the old collection or the new one); they are dropped once their grace is over
   * (reclaimRetired, scheduled here). False when the collection's record is gone (the jar was deleted
   * meanwhile): then the collection is dropped too.
   */
  async promote(em: EntityManager, honeyJarId: string, model: EmbeddingModel): Promise<boolean> {
    const name = collectionName(honeyJarId, model);
    const promoted = await em.transactional(async (tx) => {
      const updated = await tx.nativeUpdate(
        VectorIndex,
        { collection: name },
        { state: 'READY', retiredAt: null },
      );
      if (updated === 0) return false;
      await tx.nativeUpdate(
        VectorIndex,
        { honeyJarId, collection: { $ne: name }, state: { $ne: 'RETIRED' } },
        { state: 'RETIRED', retiredAt: raw('now()') },
      );
      return true;
    });
    if (!promoted) {
      await this.drop(honeyJarId, model);
      return false;
    }
    this.#reclaimLater(em, RETIRED_GRACE_MS);
    return true;
  }

  /**
   * Drops the collections retired at least RETIRED_GRACE_MS ago (by PostgreSQL's clock, which every replica
   * shares), their records first, and the retired jars' vectors from those models' shared collections; answers
   * how many. Those retired more recently are dropped later, from this process. Run by promote, and by every
   * process starting job workers (one that stopped during a grace left its collections retired).
   */
  async reclaimRetired(em: EntityManager): Promise<number> {
    const table = `"${em.config.get('schema')}"."vector_index"`;
    const reclaimed = await em
      .getConnection()
      .execute<(EmbeddingModel & { collection: string; honeyJarId: string })[]>(
        `delete from ${table} where state = 'RETIRED' and retired_at <= now() - make_interval(secs => ?)
         returning collection, honey_jar_id as "honeyJarId", provider, model, dimension`,
        [RETIRED_GRACE_MS / 1000],
      );
    // The jar's vectors leave the shared collection before its own collection goes: a collection seen gone is
    // one reclaimed whole.
    for (const index of reclaimed) {
      await this.#unmirrorJar(index.honeyJarId, index);
      await this.#drop(index.collection);
    }
    const [{ wait }] = await em.getConnection().execute<{ wait: number | null }[]>(
      `select ceil(extract(epoch from min(retired_at) - now()) * 1000 + ?)::int as wait
       from ${table} where state = 'RETIRED'`,
      [RETIRED_GRACE_MS],
    );
    if (wait !== null) this.#reclaimLater(em, Math.max(wait, 0) + 50);
    return reclaimed.length;
  }

  /** Runs reclaimRetired in `ms` (a timer that keeps no process alive), unless one is waiting already. */
  #reclaimLater(em: EntityManager, ms: number): void {
    if (this.#reclaim) return;
    this.#reclaim = setTimeout(() => {
      this.#reclaim = undefined;
      this.reclaimRetired(em).catch((err: unknown) =>
        this.#logger?.warn({ err }, 'could not drop Chroma collections that stopped serving'),
      );
    }, ms);
    this.#reclaim.unref();
  }

  /** Stops waiting to drop retired collections (the next process starting job workers drops them). */
  close(): void {
    clearTimeout(this.#reclaim);
    this.#reclaim = undefined;
  }

  /**
   * Drops the jar's collection for this model from Chroma, and its vectors from the shared one, whatever records
   * say (one left by a deleted jar).
   */
  async drop(honeyJarId: string, model: EmbeddingModel): Promise<void> {
    await this.#drop(collectionName(honeyJarId, model));
    await this.#unmirrorJar(honeyJarId, model);
  }

  async #drop(collection: string): Promise<void> {
    this.#collections.delete(collection);
    await this.#chroma.deleteCollection({ name: collection }).catch(() => undefined);
  }

  /**
   * The serving index of each of these jars (jars without vectors are left out), with the jar's chunks as the
   * chunk table's triggers count them (what nearest weighs the shared collection by). One statement: every search
   * asks, for every jar it searches, on the path to its vector query (built by MikroORM's query builder and read
   * with a second statement for the counts, this took 0.4 ms of CPU and 220 kB of garbage a search over 100 jars).
   */
  async servingIndexes(em: EntityManager, jarIds: readonly string[]): Promise<ServingIndex[]> {
    if (jarIds.length === 0) return [];
    const schema = em.config.get('schema');
    return preparedRows<ServingIndex>(
      em,
      `select v.collection, v.honey_jar_id as "honeyJarId", v.provider, v.model, v.dimension, v.shared,
         coalesce(l.chunks, 0)::int as chunks
       from "${schema}"."vector_index" v
       left join "${schema}"."chunk_lexeme" l on l.lexeme = '' and l.honey_jar_id = v.honey_jar_id
       where v.honey_jar_id = any(?::uuid[]) and v.state = 'READY'`,
      [uuidArray(jarIds)],
    );
  }

  /**
   * The `limit` nearest chunks to `vector` across these serving indexes (all of one model), closest first. A
   * jar's collection holds its vectors only, so asking just the readable jars' collections is the pre-filter; no
   * metadata `where` is added (Chroma then filters through its metadata store first: about 10x slower, 45 ms
   * against 4 ms at 5k vectors in one run), and search reads every hit back through the SQL read rule. Over many
   * jars mirrored in the model's shared collection, that one collection is asked instead (nearestShared).
   */
  async nearest(
    em: EntityManager,
    indexes: readonly ServingIndex[],
    vector: Float32Array,
    limit: number,
  ): Promise<VectorHit[]> {
    const query = chromaQueryVector(vector);
    const mirrored = indexes.filter((index) => index.shared);
    const fromShared =
      mirrored.length >= SHARED_MIN_JARS ? await this.#nearestShared(em, mirrored, query, limit) : null;
    const rest = fromShared === null ? indexes : indexes.filter((index) => !index.shared);
    // Across many jars each holds a share of the best: asking every jar for all `limit` would move jars x limit
    // results for `limit` kept. Four times the even share (at least 20) keeps the top of the list, which is what
    // fusion weighs most, unless one jar holds nearly all of the nearest.
    const perJar =
      rest.length > 1 ? Math.min(limit, Math.max(20, Math.ceil((4 * limit) / rest.length))) : limit;
    const found = await Promise.all(
      rest.map(async (index) => {
        try {
          const { ids, distances } = await this.#using(
            index.collection,
            index.honeyJarId,
            index,
            false,
            (collection) => this.#query(collection, query, perJar),
          );
          return ids.map((id, i) => ({ id, distance: distances[i] }));
        } catch (err) {
          if (!isChromaNotFound(err)) throw err;
          // Recorded as serving but not in Chroma (its data lost, or retired and dropped after a search that
          // outlived its grace): the other jars' hits still count; keyword search still serves this one.
          this.#collections.delete(index.collection);
          this.#logger?.warn(
            { honeyJarId: index.honeyJarId, collection: index.collection },
            "a honey jar's serving collection is missing from Chroma",
          );
          return [];
        }
      }),
    );
    return [...(fromShared ?? []), ...found.flat()].sort(byDistance).slice(0, limit);
  }

  /**
   * The `limit` nearest chunks of these jars (all mirrored, of one model) from the model's shared collection:
   * asked for enough more results that `limit` of them are likely to be these jars' (by the share of the
   * collection's vectors they hold), the others dropped; asked again for more when fewer than `limit` of the
   * results were theirs while the collection held more. Null, for asking each jar's collection instead, when they
   * are too small a share of it, or still too few at SHARED_MAX_RESULTS: those hits are the exact top of these
   * jars' vectors, as far as the index's search is, only when either `limit` of them were found or none was left
   * out.
   */
  async #nearestShared(
    em: EntityManager,
    indexes: readonly ServingIndex[],
    query: ChromaQueryVector,
    limit: number,
  ): Promise<VectorHit[] | null> {
    const model = indexes[0];
    const share = await this.#share(em, indexes);
    if (share < SHARED_MIN_SHARE) return null;
    const searched = new Set(indexes.map((index) => index.honeyJarId));
    let asked = Math.min(SHARED_MAX_RESULTS, Math.ceil((1.5 * limit) / share));
    for (;;) {
      const { ids, distances } = await this.#usingShared(model, (shared) =>
        this.#query(shared, query, asked),
      );
      const hits: VectorHit[] = [];
      for (let i = 0; i < ids.length && hits.length < limit; i++) {
        const slash = ids[i].indexOf('/');
        if (slash > 0 && searched.has(ids[i].slice(0, slash)))
          hits.push({ id: ids[i].slice(slash + 1), distance: distances[i] });
      }
      if (hits.length === limit || ids.length < asked) return hits;
      // Other jars' vectors crowd the query's neighbourhood more than their share of the collection: asking it
      // again for four times as many (a few ms) is far cheaper than asking every jar's collection (70-90 ms for
      // 100 jars), which is left for when even SHARED_MAX_RESULTS hold too few.
      if (asked === SHARED_MAX_RESULTS) return null;
      asked = Math.min(SHARED_MAX_RESULTS, asked * 4);
    }
  }

  /**
   * The share of every jar's vectors that these jars hold, by their chunks (one vector each, of whichever model:
   * while jars are re-indexed the share of one model's collection is underestimated, and more results asked).
   * The count of every jar's is kept for a while; the searched jars' come with their indexes.
   */
  async #share(em: EntityManager, indexes: readonly ServingIndex[]): Promise<number> {
    let all = this.#allChunks;
    if (!all || performance.now() - all.at > POOL_COUNT_TTL_MS) {
      all = { chunks: await allJarChunks(em), at: performance.now() };
      this.#allChunks = all;
    }
    let searched = 0;
    for (const index of indexes) searched += index.chunks;
    return all.chunks > 0 ? Math.min(1, searched / all.chunks) : 0;
  }
}
