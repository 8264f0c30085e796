// Reading, reviewing, reprocessing and deleting documents (listing.ts pages them), each checked against
// knowledge's read model of the document's honey jar. Deleting takes the document's chunks and vectors out of the
// index, cancels its job, and removes its blob once no other document uses the same bytes.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  BadUserInputError,
  inTransaction,
  isId,
  NotFoundError,
  UnauthenticatedError,
  type SubgraphContext,
  type SubgraphRuntime,
} from '@sting/kit';
import { Document } from '../../entities/document.ts';
import { jarFacts } from '../jar-access/access.ts';
import { jarStillReadable } from '../jar-access/readable-now.ts';
import { searchServices } from '../search/services.ts';
import { authorizeDocument, type DocumentAction } from './policies.ts';
import { documentServices } from './services.ts';
import { ensureQuotaRoom, lockJarQuota } from './quota.ts';
import { knowledgeJobs } from '../../jobs/queues.ts';
import { enqueueStatus } from './status.ts';
import { releaseBlob } from './blob-references.ts';

type Scope = Pick<
  SubgraphContext,
  'viewer' | 'em' | 'runtime' | 'bus' | 'delegatedIdentity' | 'requestId' | 'logger'
>;

/** The document if the viewer may do `action` to it; NOT_FOUND when it is missing or unreadable. */
export async function documentFor(
  scope: Scope,
  id: string,
  action: DocumentAction = 'read',
): Promise<Document> {
  if (scope.viewer === null) throw new UnauthenticatedError();
  const doc = isId(id) ? await scope.em.findOne(Document, id) : null;
  if (!doc) throw new NotFoundError('Document', id);
  authorizeDocument(scope.viewer, action, await jarFacts(scope.em, scope.viewer, doc.honeyJarId), doc);
  // The read model lets the person in; honey-jars, which knows a removal first, is asked too (batched per request).
  if (!(await jarStillReadable(scope, doc.honeyJarId))) throw new NotFoundError('Document', id);
  return doc;
}

/** `document(id)`: null rather than an error for a missing or unreadable document. */
export async function findDocument(scope: Scope, id: string): Promise<Document | null> {
  if (scope.viewer === null) throw new UnauthenticatedError();
  return documentFor(scope, id).catch((err) => {
    if (err instanceof NotFoundError) return null;
    throw err;
  });
}

/** The owner or an admin lets a proposed document in: it is queued for ingestion. */
export async function approveDocument(scope: Scope, id: string): Promise<Document> {
  const doc = await documentFor(scope, id, 'review');
  if (doc.processingStatus !== 'PENDING_REVIEW')
    throw new BadUserInputError('The document is not waiting for review', 'id');
  return admitProposal(scope, doc, { subject: `The document (${doc.size} bytes)`, field: 'id' });
}

/**
 * Lets a proposal into its jar and queues it for ingestion: counted against the jar's quota from now on, so only
 * while it fits (refused as `subject` exceeding the room left, on `field`). The caller has checked who may.
 */
export async function admitProposal(
  scope: Scope,
  doc: Document,
  refused: { subject: string; field: string },
): Promise<Document> {
  return requeue(scope, doc, false, async () => {
    await lockJarQuota(scope.em, doc.honeyJarId);
    const { settings } = await documentServices(scope.runtime);
    await ensureQuotaRoom(
      scope.em,
      settings.jarQuotaBytes,
      doc.honeyJarId,
      Number(doc.size),
      refused.subject,
      refused.field,
    );
  });
}

/** The owner or an admin turns a proposed document away: it is deleted. */
export async function rejectDocument(scope: Scope, id: string): Promise<boolean> {
  const doc = await documentFor(scope, id, 'review');
  if (doc.processingStatus !== 'PENDING_REVIEW')
    throw new BadUserInputError('The document is not waiting for review', 'id');
  await removeDocuments(scope.runtime, scope.em, [doc]);
  return true;
}

export async function reprocessDocument(scope: Scope, id: string): Promise<Document> {
  const doc = await documentFor(scope, id, 'change');
  if (doc.processingStatus === 'PENDING_REVIEW')
    throw new BadUserInputError('The document is waiting for review', 'id');
  return requeue(scope, doc, true);
}

/** Queues the document for ingestion again; `check`, when given, runs first in the same transaction. */
async function requeue(
  scope: Scope,
  doc: Document,
  newVersion: boolean,
  check?: () => Promise<void>,
): Promise<Document> {
  const queue = knowledgeJobs(scope.runtime).ingest;
  await queue.cancel({ documentId: doc.id });
  // The status and its events in one transaction: the second flush writes the events of the row as flushed.
  await inTransaction(scope.em, async () => {
    // The row as it is now, held until commit: requests requeueing it at once each count a version of their own.
    await scope.em.refresh(doc, { lockMode: LockMode.PESSIMISTIC_WRITE });
    await check?.();
    doc.processingStatus = 'PENDING';
    doc.progress = 0;
    doc.processingError = null;
    if (newVersion) doc.version += 1;
    await scope.em.flush();
    enqueueStatus(scope.em, doc);
  });
  await queue.enqueue({ documentId: doc.id, version: doc.version });
  return doc;
}

export async function deleteDocument(scope: Scope, id: string): Promise<boolean> {
  const doc = await documentFor(scope, id, 'change');
  await removeDocuments(scope.runtime, scope.em, [doc]);
  return true;
}

/**
 * What knowledge holds of a deleted jar goes with it: its re-index job is cancelled (a running one stops at its
 * next page), its chunks and Chroma collections are dropped, then its documents (their jobs cancelled) and blobs.
 */
export async function removeJarContents(
  runtime: SubgraphRuntime,
  em: EntityManager,
  honeyJarId: string,
): Promise<void> {
  await knowledgeJobs(runtime).reindex.cancel({ honeyJarId });
  await (await searchServices(runtime)).chunkIndex.removeJar(honeyJarId);
  await deleteDocumentsOfJar(runtime, em, honeyJarId);
}

/** A deleted jar's documents go with it (honey-jars announced the deletion; its chunks are SEARCH's to drop). */
export async function deleteDocumentsOfJar(
  runtime: SubgraphRuntime,
  em: EntityManager,
  honeyJarId: string,
): Promise<number> {
  const docs = await em.find(Document, { honeyJarId });
  await removeDocuments(runtime, em, docs, { indexed: false });
  return docs.length;
}

async function removeDocuments(
  runtime: SubgraphRuntime,
  em: EntityManager,
  docs: Document[],
  { indexed = true } = {},
): Promise<void> {
  if (docs.length === 0) return;
  const services = await documentServices(runtime);
  for (const doc of docs) await knowledgeJobs(runtime).ingest.cancel({ documentId: doc.id });
  await em.nativeDelete(Document, { id: { $in: docs.map((d) => d.id) } });
  if (indexed) {
    const { chunkIndex } = await searchServices(runtime);
    for (const doc of docs) await chunkIndex.removeDocument(doc.id, doc.honeyJarId);
  }
  for (const hash of new Set(docs.map((d) => d.contentHash))) await releaseBlob(em, services.blobs, hash);
}
