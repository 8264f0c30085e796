// The contract between ingestion and search: how a document's chunks get into (and out of) the index. One
// implementation writes the keyword rows in PostgreSQL and the vectors in the jar's Chroma collection together.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { DocumentChunk } from '../../ingest/types.ts';

/** A document as the index needs to know it; `version` changes whenever its content is reprocessed. */
export interface IndexedDocument {
  id: string;
  honeyJarId: string;
  title: string;
  fileType: string;
  createdAt: Date;
  version: number;
}

/** One chunk as ingestion produces it. */
export type IndexableChunk = DocumentChunk;

/**
 * Whether the chunks being written are still wanted (their document not deleted or reprocessed since, its jar not
 * deleted), asked before the vectors are written and again in the transaction that writes the rows, where what it
 * reads it locks until the rows are written: a deletion then waits, and removes them after.
 */
export type StillWanted = (em: EntityManager) => Promise<boolean>;

export interface ChunkIndex {
  /**
   * Replaces every chunk of the document (keyword rows in PostgreSQL + vectors in the jar's Chroma collection).
   * `vectors[i]` is the embedding of `chunks[i]`, made by the embedder the jar's collection records. False, with
   * nothing of it kept, when `stillWanted` says the chunks are no longer wanted.
   */
  replaceDocumentChunks(
    doc: IndexedDocument,
    chunks: readonly IndexableChunk[],
    vectors: readonly Float32Array[],
    stillWanted?: StillWanted,
  ): Promise<boolean>;
  removeDocument(documentId: string, honeyJarId: string): Promise<void>;
  removeJar(honeyJarId: string): Promise<void>;
}
