// A document's processing status and its live feed: every change is written, then announced on the jar's status
// topic for `documentStatusChanged`. The feed is a live view, not a record (a missed event is seen on reload), so
// it goes straight to the bus after the write rather than through the outbox.
import type { EntityManager } from '@mikro-orm/postgresql';
import { createEvent, EventTypes, Topics, type EventBus } from '@sting/kit';
import { Document, type ProcessingStatus } from '../../entities/document.ts';

export const documentStatusTopic = Topics.knowledge.documentStatus;

/** A document as the bus carries it: the row's fields, dates as ISO strings. */
export type DocumentEvent = Omit<Document, 'createdAt' | 'updatedAt'> & {
  createdAt: string;
  updatedAt: string;
};

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

export async function announceStatus(bus: EventBus, doc: Document): Promise<void> {
  const event = createEvent(EventTypes.documentStatusChanged, toDocumentEvent(doc), { source: 'knowledge' });
  // The jar's topic feeds its live view; the fixed topic serves platform-wide listeners (Beeacon's history and
  // its ingestion-failure rule) without a subscription per jar.
  await Promise.all([
    bus.publish(documentStatusTopic(doc.honeyJarId), event),
    bus.publish(Topics.knowledge.documentStatusChanged, event),
  ]);
}

export interface StatusChange {
  processingStatus: ProcessingStatus;
  progress?: number;
  processingError?: string | null;
  chunkCount?: number;
  piiFindings?: Record<string, number>;
}

/**
 * Moves the document to a new status if it is still at `version` (a reprocess or deletion in between wins), then
 * announces it. `alongside` may add outbox events that must commit with the change. Returns the updated document,
 * or null when it was deleted or superseded.
 */
export async function changeStatus(
  em: EntityManager,
  bus: EventBus,
  documentId: string,
  version: number,
  change: StatusChange,
  alongside?: (tx: EntityManager, doc: Document) => void,
): Promise<Document | null> {
  const doc = await em.transactional(async (tx) => {
    const updated = await tx.nativeUpdate(
      Document,
      { id: documentId, version },
      { ...change, progress: change.progress ?? 0, updatedAt: new Date() },
    );
    if (updated === 0) return null;
    const row = await tx.findOne(Document, documentId, { refresh: true });
    if (row && alongside) {
      alongside(tx, row);
      await tx.flush();
    }
    return row;
  });
  if (doc) await announceStatus(bus, doc);
  return doc;
}
