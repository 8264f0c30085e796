// Re-indexing after the embedding model changes in config: a jar whose serving collection was built by another
// model gets a new collection (BUILDING) filled from the chunk rows' text with the configured embedder, then
// promoted to READY, the old one retired (dropped a few seconds later; see vectors.ts). Until then search keeps
// querying the old collection with the old model (see services.ts), so answers never stop. Vectors only:
// extraction and chunking are not repeated.
//
// Safe to run again after an interruption: chunk rows never change (a reprocessed document gets new rows with
// new ids), so a vector the new collection already holds under a row's id is that row's, and only the rows
// without one are embedded. Documents ingested meanwhile are written to the BUILDING collection by ingestion
// itself (it embeds with the configured model too), whether their rows come before or after the pass.
//
// A jar whose serving collection is of the configured model but was made before vectors were mirrored in the
// model's shared collection has its vectors copied there instead (shareJar), with no embedding.
import { uuidArray } from '@sting/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Embedder } from '@sting/llm';
import { VectorIndex } from '../../entities/vector-index.ts';
import { chunkTable } from './keyword.ts';
import { modelKey, type EmbeddingModel, type JarVectors } from './vectors.ts';

const PAGE = 500;

/** Jars served by a collection of another model than `embedder`'s, or by one not mirrored in the shared one. */
export async function staleJars(em: EntityManager, embedder: Embedder): Promise<string[]> {
  const ready = await em.find(VectorIndex, { state: 'READY' });
  return ready
    .filter((index) => modelKey(index) !== modelKey(embedder) || !index.shared)
    .map((index) => index.honeyJarId);
}

export interface ReindexOutcome {
  /**
   * done: now served by the new collection; shared: its collection is now mirrored in the shared one; current:
   * it already was both; gone: the jar has no vectors (deleted).
   */
  result: 'done' | 'shared' | 'current' | 'gone';
  /** Chunk rows gone through. */
  chunks: number;
  /** Of those, the ones embedded (or, sharing, copied) by this run (the others were there from an interrupted one). */
  embedded: number;
}

/**
 * Rebuilds the jar's vectors with `embedder` beside the serving collection, then switches search to them. Stops
 * at the next page when `signal` aborts (the BUILDING collection stays for the next run to finish).
 */
export async function reindexJar(
  em: EntityManager,
  vectors: JarVectors,
  embedder: Embedder,
  honeyJarId: string,
  signal?: AbortSignal,
): Promise<ReindexOutcome> {
  const outcome: ReindexOutcome = { result: 'done', chunks: 0, embedded: 0 };
  const serving = await vectors.servingIndexes(em, [honeyJarId]);
  if (serving.length === 0) return { ...outcome, result: 'gone' };
  if (serving.every((index) => modelKey(index) === modelKey(embedder)))
    return serving.every((index) => index.shared)
      ? { ...outcome, result: 'current' }
      : shareJar(em, vectors, embedder, honeyJarId, signal);
  if (!(await vectors.startBuilding(em, honeyJarId, embedder))) return { ...outcome, result: 'gone' };
  const walked = await eachChunkPage(em, vectors, embedder, honeyJarId, outcome, signal, async (rows) => {
    const missing = new Set(
      await vectors.missing(
        honeyJarId,
        embedder,
        rows.map((row) => row.id as string),
      ),
    );
    const todo = rows.filter((row) => missing.has(row.id as string));
    if (todo.length === 0) return [];
    const embedded = await embedder.embed(
      todo.map((row) => row.text as string),
      { signal },
    );
    await vectors.upsert(
      honeyJarId,
      embedder,
      todo.map((row, i) => ({
        id: row.id as string,
        vector: embedded[i],
        metadata: {
          honey_jar_id: honeyJarId,
          document_id: row.document_id as string,
          document_type: row.file_type as string,
          chunk_index: row.ordinal as number,
          page: (row.page as number | null) ?? null,
          created_at: new Date(row.created_at as string).getTime(),
        },
      })),
    );
    return todo.map((row) => row.id as string);
  });
  if (!walked) return { ...outcome, result: 'gone' };
  signal?.throwIfAborted();
  if (!(await vectors.promote(em, honeyJarId, embedder))) return { ...outcome, result: 'gone' };
  return outcome;
}

/**
 * Copies the jar's vectors of `model` (its serving collection's) into the model's shared collection, page by page
 * of its chunk rows, then records the collection as mirrored. Vectors written meanwhile are mirrored by whatever
 * writes them.
 */
async function shareJar(
  em: EntityManager,
  vectors: JarVectors,
  model: EmbeddingModel,
  honeyJarId: string,
  signal?: AbortSignal,
): Promise<ReindexOutcome> {
  const outcome: ReindexOutcome = { result: 'shared', chunks: 0, embedded: 0 };
  const walked = await eachChunkPage(em, vectors, model, honeyJarId, outcome, signal, (rows) =>
    vectors.mirrorIds(
      honeyJarId,
      model,
      rows.map((row) => row.id as string),
    ),
  );
  if (!walked) return { ...outcome, result: 'gone' };
  await vectors.markShared(em, honeyJarId, model);
  return outcome;
}

/**
 * Goes through the jar's chunk rows page by page, in id order, handing each page to `write`, which writes vectors
 * of `model` for some of its rows and answers their ids; counts the rows in `outcome.chunks` and the vectors
 * written in `outcome.embedded`. Stops at the next page when `signal` aborts. False when the jar's collection for
 * the model is no longer recorded (the jar deleted meanwhile): what was written after the deletion is dropped.
 */
async function eachChunkPage(
  em: EntityManager,
  vectors: JarVectors,
  model: EmbeddingModel,
  honeyJarId: string,
  outcome: ReindexOutcome,
  signal: AbortSignal | undefined,
  write: (rows: Record<string, unknown>[]) => Promise<string[]>,
): Promise<boolean> {
  for (let after = ''; ;) {
    signal?.throwIfAborted();
    if (!(await vectors.isRecorded(em, honeyJarId, model))) {
      await vectors.drop(honeyJarId, model);
      return false;
    }
    const rows = await chunkPage(em, honeyJarId, after);
    if (rows.length === 0) return true;
    after = rows[rows.length - 1].id as string;
    outcome.chunks += rows.length;
    const written = await write(rows);
    if (written.length === 0) continue;
    outcome.embedded += written.length;
    await removeDeleted(em, vectors, model, honeyJarId, written);
  }
}

/** A page of the jar's chunk rows, in id order after `after`. */
function chunkPage(em: EntityManager, honeyJarId: string, after: string) {
  return em.getConnection().execute<Record<string, unknown>[]>(
    `select id, document_id, file_type, ordinal, page, text, created_at from ${chunkTable(em)}
     where honey_jar_id = ? and id::text > ? order by id::text limit ${PAGE}`,
    [honeyJarId, after],
  );
}

/**
 * A row deleted since it was read (its document removed or reprocessed, which cleared the document's vectors
 * already) must not keep the vector just written for it.
 */
async function removeDeleted(
  em: EntityManager,
  vectors: JarVectors,
  model: EmbeddingModel,
  honeyJarId: string,
  ids: string[],
): Promise<void> {
  const kept = await em
    .getConnection()
    .execute<{ id: string }[]>(`select id from ${chunkTable(em)} where id = any(?::uuid[])`, [
      uuidArray(ids),
    ]);
  const live = new Set(kept.map((row) => row.id));
  await vectors.remove(
    honeyJarId,
    model,
    ids.filter((id) => !live.has(id)),
  );
}
