// Re-indexing after the embedding model changes in config: a jar whose serving collection was built by another
// model gets a new collection (BUILDING) filled from the chunk rows' text with the configured embedder, then
// promoted to READY, the old one dropped. Until then search keeps querying the old collection with the old
// model (see services.ts), so answers never stop. Vectors only: extraction and chunking are not repeated.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Embedder } from '@sting/llm';
import { VectorIndex } from '../../entities/vector-index.ts';
import { chunkTable } from './keyword.ts';
import { modelKey, type JarVectors } from './vectors.ts';

const PAGE = 500;

/** Jars served by a collection of another model than `embedder`'s. */
export async function staleJars(em: EntityManager, embedder: Embedder): Promise<string[]> {
  const ready = await em.find(VectorIndex, { state: 'READY' });
  return ready.filter((index) => modelKey(index) !== modelKey(embedder)).map((index) => index.honeyJarId);
}

/** Rebuilds the jar's vectors with `embedder` beside the serving collection, then switches search to them. */
export async function reindexJar(
  em: EntityManager,
  vectors: JarVectors,
  embedder: Embedder,
  honeyJarId: string,
): Promise<number> {
  let done = 0;
  let after = '';
  for (;;) {
    const rows = await em.getConnection().execute<Record<string, unknown>[]>(
      `select id, document_id, file_type, ordinal, page, text, created_at from ${chunkTable(em)}
       where honey_jar_id = ? and id::text > ? order by id::text limit ${PAGE}`,
      [honeyJarId, after],
    );
    if (rows.length === 0) break;
    const embedded = await embedder.embed(rows.map((row) => row.text as string));
    await vectors.upsert(
      em,
      honeyJarId,
      embedder,
      rows.map((row, i) => ({
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
    done += rows.length;
    after = rows[rows.length - 1].id as string;
  }
  await vectors.promote(em, honeyJarId, embedder);
  return done;
}

/** Re-indexes every stale jar, one after another; failures are logged and left for the next start. */
export async function reindexStaleJars(
  newEntityManager: () => EntityManager,
  vectors: JarVectors,
  embedder: Embedder,
  logger: Logger,
): Promise<void> {
  for (const honeyJarId of await staleJars(newEntityManager(), embedder)) {
    try {
      const chunks = await reindexJar(newEntityManager(), vectors, embedder, honeyJarId);
      logger.info(
        { honeyJarId, chunks, model: modelKey(embedder) },
        'honey jar re-indexed for the new model',
      );
    } catch (err) {
      logger.error({ err, honeyJarId }, 're-indexing a honey jar failed; search keeps its previous index');
    }
  }
}
