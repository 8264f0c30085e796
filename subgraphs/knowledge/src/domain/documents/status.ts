// A document's processing status and its announcement: every change writes its status event to the outbox in
// the same transaction, on the jar's topic (the live `documentStatusChanged` feed) and on the fixed
// `knowledge.document.status_changed` (Beeacon's history and its ingestion-failure rule). The relay publishes
// them once the change has committed, nudged by the commit itself, so a crash or a bus outage after the commit
// delays them but never loses them.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createEvent, enqueueEvent, EventTypes, Topics, type EventBus, type EventType } from '@sting/kit';
import { Document, type ProcessingStatus } from '../../entities/document.ts';

export const documentStatusTopic = Topics.knowledge.documentStatus;

/** A document as the bus carries it: the row's fields, dates as ISO strings. */
export type DocumentEvent = Omit<Document, 'createdAt' | 'updatedAt'> & {
  createdAt: string;
  updatedAt: string;
};

/**
 * Not a document: a word on the jar's live topic that its access changed (a member removed, the jar made private or
 * deleted), published once the read model holds the change. Every open feed of the jar then checks its person's
 * access at once and ends when it is gone, instead of at the jar's next document event, which for a deleted jar
 * never comes. The feeds pass nothing of it on.
 */
export interface JarAccessChange {
  accessChanged: true;
  honeyJarId: string;
}

export type JarFeedEvent = DocumentEvent | JarAccessChange;

export const isAccessChange = (event: JarFeedEvent): event is JarAccessChange =>
  (event as JarAccessChange).accessChanged === true;

export async function announceAccessChange(
  bus: EventBus,
  type: EventType,
  honeyJarId: string,
): Promise<void> {
  const change: JarAccessChange = { accessChanged: true, honeyJarId };
  await bus.publish(documentStatusTopic(honeyJarId), createEvent(type, change, { source: 'knowledge' }));
}

export function toDocumentEvent(doc: Document): DocumentEvent {
  return {
    id: doc.id,
    honeyJarId: doc.honeyJarId,
    title: doc.title,
    fileType: doc.fileType,
    contentType: doc.contentType,
    size: doc.size,
    contentHash: doc.contentHash,
    processingStatus: doc.processingStatus,
    progress: doc.progress,
    processingError: doc.processingError ?? null,
    chunkCount: doc.chunkCount,
    piiFindings: doc.piiFindings,
    version: doc.version,
    uploadedBy: doc.uploadedBy,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

/**
 * Adds the document's status events to `em`'s unit of work, to be written by the flush that writes the status
 * (the document as flushed: call it after the flush that set `updatedAt`, then flush again, in one transaction).
 */
export function enqueueStatus(em: EntityManager, doc: Document): void {
  const event = createEvent(EventTypes.documentStatusChanged, toDocumentEvent(doc), { source: 'knowledge' });
  // The jar's topic feeds its live view; the fixed topic serves platform-wide listeners without a subscription
  // per jar. Each outbox row carries an id of its own.
  enqueueEvent(em, documentStatusTopic(doc.honeyJarId), event);
  enqueueEvent(em, Topics.knowledge.documentStatusChanged, { ...event, id: randomUUID() });
}

export interface StatusChange {
  processingStatus: ProcessingStatus;
  progress?: number;
  processingError?: string | null;
  chunkCount?: number;
  piiFindings?: Record<string, number>;
}

/**
 * Moves the document to a new status if it is still at `version` (a reprocess or deletion in between wins), with
 * its status events in the same transaction. `alongside` may add further outbox events that must commit with the
 * change. Returns the updated document, or null when it was deleted or superseded.
 */
export async function changeStatus(
  em: EntityManager,
  documentId: string,
  version: number,
  change: StatusChange,
  alongside?: (tx: EntityManager, doc: Document) => void,
): Promise<Document | null> {
  return em.transactional(async (tx) => {
    const updated = await tx.nativeUpdate(
      Document,
      { id: documentId, version },
      { ...change, progress: change.progress ?? 0, updatedAt: new Date() },
    );
    if (updated === 0) return null;
    const row = await tx.findOne(Document, documentId, { refresh: true });
    if (row) {
      enqueueStatus(tx, row);
      alongside?.(tx, row);
      await tx.flush();
    }
    return row;
  });
}
