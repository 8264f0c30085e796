// A document held in a honey jar. The file itself lives in blob storage; this row tracks its processing.
import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { HoneyJar } from './honey-jar.ts';

export const ProcessingStatuses = ['PENDING', 'PROCESSING', 'READY', 'FAILED'] as const;
export type ProcessingStatus = (typeof ProcessingStatuses)[number];

export const Document = defineEntity({
  name: 'Document',
  tableName: 'document',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    honeyJar: () => p.manyToOne(HoneyJar).index(),
    title: p.string().length(300),
    fileType: p.string().length(100),
    contentHash: p.string().length(128),
    processingStatus: p.enum(ProcessingStatuses).default('PENDING'),
    chunkCount: p.integer().default(0),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});

export type Document = InferEntity<typeof Document>;
