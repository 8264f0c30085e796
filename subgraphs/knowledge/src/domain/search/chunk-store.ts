// The ChunkIndex ingestion writes through: a document's chunks as rows of the keyword index in PostgreSQL and as
// vectors in its jar's Chroma collection. Vectors are written first: a vector whose row is missing is dropped
// by search (hits are joined back to rows), while a row without its vector would still be found by keywords.
// Ingestion says whether the chunks are still wanted before either is written, and again, with what it reads
// locked, in the rows' transaction: a document or jar deleted meanwhile keeps no row or vector of them.
import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, isId, textArray } from '@sting/kit';
import { Chunk } from '../../entities/chunk.ts';
import type { ChunkIndex, IndexableChunk, IndexedDocument, StillWanted } from './chunk-index.ts';
import type { EmbeddingModel, JarVectors } from './vectors.ts';
import { writtenCase } from './written-case.ts';

/** Changes whenever what the chunk says, or where it sits, changes: answer caches key on it. */
export function chunkVersion(doc: IndexedDocument, chunk: IndexableChunk): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        doc.id,
        doc.version,
        doc.title,
        chunk.ordinal,
        chunk.headingPath,
        chunk.page,
        chunk.text,
      ]),
    )
    .digest('hex')
    .slice(0, 32);
}

export class PostgresChromaChunkIndex implements ChunkIndex {
  #em: () => EntityManager;
  #vectors: JarVectors;
  #model: EmbeddingModel;

  /** `model` is the embedder that made the vectors handed in (the configured one). */
  constructor(newEntityManager: () => EntityManager, vectors: JarVectors, model: EmbeddingModel) {
    this.#em = newEntityManager;
    this.#vectors = vectors;
    this.#model = model;
  }

  async replaceDocumentChunks(
    doc: IndexedDocument,
    chunks: readonly IndexableChunk[],
    vectors: readonly Float32Array[],
    stillWanted?: StillWanted,
  ): Promise<boolean> {
    for (const field of ['id', 'honeyJarId'] as const) {
      if (!isId(doc[field])) throw new BadUserInputError(`${field} is not a valid id`, field);
    }
    if (vectors.length !== chunks.length) {
      throw new BadUserInputError(`${chunks.length} chunks came with ${vectors.length} vectors`, 'vectors');
    }
    const rows = chunks.map((chunk) => ({
      id: randomUUID(),
      honeyJarId: doc.honeyJarId,
      documentId: doc.id,
      documentTitle: doc.title.slice(0, 300),
      fileType: doc.fileType.slice(0, 100),
      documentVersion: doc.version,
      ordinal: chunk.ordinal,
      text: chunk.text,
      headingPath: chunk.headingPath,
      headingText: chunk.headingPath.join(' / '),
      page: chunk.page,
      slide: chunk.slide,
      sheet: chunk.sheet?.slice(0, 200) ?? null,
      charStart: chunk.charStart,
      charEnd: chunk.charEnd,
      version: chunkVersion(doc, chunk),
      createdAt: doc.createdAt,
      ...writtenCase(chunk.text),
    }));
    const em = this.#em();
    if (stillWanted && !(await stillWanted(em))) return false;
    await this.#vectors.replaceDocument(
      em,
      doc.honeyJarId,
      doc.id,
      this.#model,
      rows.map((row, i) => ({
        id: row.id,
        vector: vectors[i],
        metadata: {
          honey_jar_id: doc.honeyJarId,
          document_id: doc.id,
          document_type: doc.fileType,
          chunk_index: row.ordinal,
          page: row.page,
          created_at: doc.createdAt.getTime(),
        },
      })),
    );
    // One transaction: a reader sees the old chunks or the new ones, never half a document; the jars' vocabulary
    // drops the words the old chunks alone held, and takes the new ones (migration lexeme_vocabulary). In that
    // order: adding takes the vocabulary's lock shared, dropping exclusive, and two transactions each holding it
    // shared could each wait for the other to let it go.
    const written = await em.transactional(async (tx) => {
      // Deleted or reprocessed while its vectors were written: the rows are not, and those vectors go.
      if (stillWanted && !(await stillWanted(tx))) return false;
      const gone = await removeDocumentChunks(tx, doc.id);
      for (let i = 0; i < rows.length; i += 500) await tx.insertMany(Chunk, rows.slice(i, i + 500));
      await forget(tx, gone);
      await tx.execute(`select "${tx.config.get('schema')}".remember_lexemes(?::uuid)`, [doc.id]);
      return true;
    });
    if (!written)
      await this.#vectors.remove(
        doc.honeyJarId,
        this.#model,
        rows.map((row) => row.id),
      );
    return written;
  }

  async removeDocument(documentId: string, honeyJarId: string): Promise<void> {
    if (!isId(documentId) || !isId(honeyJarId)) return;
    const em = this.#em();
    await em.transactional(async (tx) => {
      await forget(tx, await removeDocumentChunks(tx, documentId));
    });
    await this.#vectors.removeDocument(em, honeyJarId, documentId);
  }

  async removeJar(honeyJarId: string): Promise<void> {
    if (!isId(honeyJarId)) return;
    const em = this.#em();
    await em.transactional(async (tx) => {
      // The jar's words are read from its counts (chunk_lexeme, which the statement reads as they were before it),
      // one row a word, rather than from its every chunk.
      const schema = tx.config.get('schema');
      const [gone] = await tx.execute<{ lexemes: string[] }[]>(
        `with gone as (delete from "${schema}"."chunk" where honey_jar_id = ?)
         select array(select s.lexeme from "${schema}"."chunk_lexeme" s where s.honey_jar_id = ? and s.lexeme <> '')
           as lexemes`,
        [honeyJarId, honeyJarId],
      );
      await forget(tx, gone.lexemes);
    });
    await this.#vectors.removeJar(em, honeyJarId);
  }
}

/** Deletes a document's chunks, and answers the lexemes they held. */
async function removeDocumentChunks(tx: EntityManager, documentId: string): Promise<string[]> {
  const [gone] = await tx.execute<{ lexemes: string[] }[]>(
    `with gone as (delete from "${tx.config.get('schema')}"."chunk" where document_id = ? returning search_vector)
     select array(select distinct u.lexeme from gone cross join unnest(gone.search_vector) u) as lexemes`,
    [documentId],
  );
  return gone.lexemes;
}

/** Drops from the jars' vocabulary those of the lexemes no chunk holds any more. */
async function forget(tx: EntityManager, lexemes: string[]): Promise<void> {
  if (lexemes.length === 0) return;
  await tx.execute(`select "${tx.config.get('schema')}".forget_lexemes(?::text[])`, [textArray(lexemes)]);
}
