// One ingestion job: decrypt the blob, extract its text in a worker thread, cut it into chunks, scan them for
// personal data (redacting them when the jar asks), embed them, and replace the document's chunks in the index.
// A document the reader cannot parse ends FAILED with the reason; anything else (a model server down) is thrown
// so the queue retries it, and only the last attempt marks the document FAILED.
import type { EntityManager } from '@mikro-orm/postgresql';
import { createEvent, enqueueEvent, EventTypes, Topics } from '@sting/kit';
import type { Logger } from 'pino';
import type { Embedder } from '@sting/llm';
import { Document } from '../entities/document.ts';
import {
  chunkDocument,
  DEFAULT_EXTRACTION_LIMITS,
  ExtractionError,
  extractDocument,
  scanPii,
  type DocumentChunk,
  type ExtractionLimits,
  type FileType,
} from '../ingest/index.ts';
import type { ChunkIndex, StillWanted } from '../domain/search/chunk-index.ts';
import { accessTables } from '../domain/jar-access/read-model.ts';
import { jarFacts } from '../domain/jar-access/access.ts';
import { changeStatus } from '../domain/documents/status.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import type { Attempt } from './job-queue.ts';
import type { IngestJobData } from './queues.ts';

export interface IngestDeps {
  newEntityManager(): EntityManager;
  blobs: BlobStore;
  index: ChunkIndex;
  embedder: Embedder;
  logger: Logger;
  /** `knowledge.extraction` (default DEFAULT_EXTRACTION_LIMITS). */
  extraction?: ExtractionLimits;
}

/** What ingestion found, as `observability.pii.detected` says it: counts per type, never the values. */
export interface PiiDetected {
  source: 'document';
  documentId: string;
  honeyJarId: string;
  counts: Record<string, number>;
}

/** Written to the outbox with the READY status, so the findings go out exactly when the document is ready. */
function enqueuePiiFindings(tx: EntityManager, doc: Document, counts: Record<string, number>): void {
  const payload: PiiDetected = { source: 'document', documentId: doc.id, honeyJarId: doc.honeyJarId, counts };
  const event = createEvent(EventTypes.piiDetected, payload, {
    source: 'knowledge',
    metadata: { actorId: doc.uploadedBy },
  });
  enqueueEvent(tx, Topics.observability.piiDetected, event);
}

const EMBED_BATCH = 32;

/**
 * Whether the document's chunks are still wanted: the document still at this version, its jar not deleted. In the
 * transaction writing the chunks both rows are read FOR SHARE, so deleting either, or reprocessing the document,
 * waits until the chunks are written, and then removes them; one that came first is seen, and nothing is written.
 */
function stillWanted(doc: Document): { check: StillWanted; jarDeleted: boolean } {
  const wanted = {
    jarDeleted: false,
    check: async (em: EntityManager) => {
      const [current] = await em.execute<{ version: number }[]>(
        `select version from "${em.config.get('schema')}"."document" where id = ? for share`,
        [doc.id],
      );
      const [jar] = await em.execute<{ deleted: boolean }[]>(
        `select deleted from ${accessTables(em).jars} where honey_jar_id = ? for share`,
        [doc.honeyJarId],
      );
      wanted.jarDeleted = jar?.deleted === true;
      return current?.version === doc.version && !wanted.jarDeleted;
    },
  };
  return wanted;
}

/** A document's reason for failing when the fault is not its file's. */
export const SERVER_FAILURE =
  'Processing failed on the server; reprocess the document to try again (the server log has the reason)';

/** Redacts (or only counts) personal data in each chunk; the counts are summed per type. */
function scanChunks(
  chunks: DocumentChunk[],
  redact: boolean,
): { chunks: DocumentChunk[]; counts: Record<string, number> } {
  const counts: Record<string, number> = {};
  const scanned = chunks.map((chunk) => {
    const scan = scanPii(chunk.text, { redact });
    for (const [type, n] of Object.entries(scan.counts)) counts[type] = (counts[type] ?? 0) + n;
    return redact ? { ...chunk, text: scan.text } : chunk;
  });
  return { chunks: scanned, counts };
}

export async function ingestDocument(
  deps: IngestDeps,
  job: IngestJobData,
  signal: AbortSignal,
  attempt: Attempt,
): Promise<void> {
  const em = deps.newEntityManager();
  const doc = await em.findOne(Document, job.documentId);
  // Deleted, reprocessed since (a newer job carries the new version), or not approved: nothing to do.
  if (!doc || doc.version !== job.version || doc.processingStatus === 'PENDING_REVIEW') return;
  const step = (progress: number) =>
    changeStatus(em, doc.id, doc.version, { processingStatus: 'PROCESSING', progress });
  try {
    if (!(await step(0.05))) return;
    // A plain copy: a Buffer may be a view into Node's shared pool, which cannot be handed to a worker thread.
    const bytes = new Uint8Array(await deps.blobs.readAll(doc.contentHash));
    const extracted = await extractDocument(
      bytes,
      doc.fileType as FileType,
      deps.extraction ?? DEFAULT_EXTRACTION_LIMITS,
      signal,
    );
    if (!(await step(0.4))) return;
    const jar = await jarFacts(em, { kind: 'system' }, doc.honeyJarId);
    const pieces = chunkDocument(extracted);
    const { maxChunks } = deps.extraction ?? DEFAULT_EXTRACTION_LIMITS;
    if (pieces.length > maxChunks)
      throw new ExtractionError(
        'too-large',
        `the file's text makes ${pieces.length} passages, more than the ${maxChunks} one document may have; ` +
          'split it into smaller files',
      );
    const { chunks, counts } = scanChunks(pieces, jar?.jar.redactPiiOnIngest ?? false);
    if (!(await step(0.5))) return;
    const vectors: Float32Array[] = [];
    for (let i = 0; i < chunks.length; i += EMBED_BATCH) {
      const batch = chunks.slice(i, i + EMBED_BATCH).map((c) => c.text);
      vectors.push(...(await deps.embedder.embed(batch, { signal })));
      if (!(await step(0.5 + 0.4 * Math.min(1, (i + EMBED_BATCH) / chunks.length)))) return;
    }
    signal.throwIfAborted();
    const wanted = stillWanted(doc);
    const written = await deps.index.replaceDocumentChunks(
      {
        id: doc.id,
        honeyJarId: doc.honeyJarId,
        title: doc.title,
        fileType: doc.fileType,
        createdAt: doc.createdAt,
        version: doc.version,
      },
      chunks,
      vectors,
      wanted.check,
    );
    if (!written) {
      // Writing a jar's first vectors made it a collection: one of a deleted jar is dropped with the rest of it.
      if (wanted.jarDeleted) await deps.index.removeJar(doc.honeyJarId);
      return;
    }
    // Superseded right after writing (reprocessed or deleted): the newer job or the deletion tidies the index.
    await changeStatus(
      em,
      doc.id,
      doc.version,
      {
        processingStatus: 'READY',
        progress: 1,
        processingError: null,
        chunkCount: chunks.length,
        piiFindings: counts,
      },
      (tx, ready) => {
        if (Object.keys(counts).length > 0) enqueuePiiFindings(tx, ready, counts);
      },
    );
  } catch (err) {
    // Cancelled (deleted) or the worker is stopping: leave it to the queue, which retries unless cancelled.
    const permanent = err instanceof ExtractionError && !signal.aborted;
    if (permanent || attempt.last) {
      // Everyone who reads the jar sees the reason: a file's own fault is told as is; anything else (a model server
      // down, a storage error) only as a failure, its detail, which can name hosts and paths, kept for the log.
      const message = permanent ? err.message : SERVER_FAILURE;
      await changeStatus(em, doc.id, doc.version, {
        processingStatus: 'FAILED',
        processingError: message,
      });
      if (!permanent) deps.logger.error({ err, documentId: doc.id }, 'document ingestion failed for good');
      return;
    }
    await changeStatus(em, doc.id, doc.version, { processingStatus: 'PENDING', progress: 0 });
    throw err;
  }
}
