// A document held in a honey jar: its metadata and where its processing stands. The bytes live in the blob
// store under `contentHash`; the jar and the uploader are ids from other subgraphs, kept by value.
import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const ProcessingStatuses = ['PENDING_REVIEW', 'PENDING', 'PROCESSING', 'READY', 'FAILED'] as const;
export type ProcessingStatus = (typeof ProcessingStatuses)[number];

export const Document = defineEntity({
  name: 'Document',
  tableName: 'document',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    honeyJarId: p.uuid(),
    title: p.string().length(300),
    fileType: p.string().length(20),
    contentType: p.string().length(200),
    size: p.bigint('number'),
    /** SHA-256 of the bytes as uploaded (hex). */
    contentHash: p.string().length(64),
    processingStatus: p.enum(ProcessingStatuses).default('PENDING'),
    /** 0 to 1 while PROCESSING. */
    progress: p.double().default(0),
    processingError: p.text().nullable(),
    chunkCount: p.integer().default(0),
    /** Personal data found at ingestion, as counts per type (never the values). */
    piiFindings: p.json<Record<string, number>>().onCreate(() => ({})),
    /** Bumped on each reprocess, so the index can tell an old document's chunks from new ones. */
    version: p.integer().default(1),
    uploadedBy: p.uuid(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p
      .datetime(3)
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
  // One document per content per jar: a repeated upload returns the existing one.
  uniques: [{ properties: ['honeyJarId', 'contentHash'] }],
  indexes: [{ properties: ['honeyJarId', 'createdAt'] }, { properties: ['contentHash'] }],
});

export type Document = InferEntity<typeof Document>;
