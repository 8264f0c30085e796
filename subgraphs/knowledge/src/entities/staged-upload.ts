// An upload announced with createUpload (or a multipart part) whose bytes have not arrived yet. The token's
// secret is kept only as a hash; the row is consumed when its bytes become a document.
import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

export const UploadModes = ['direct', 'review'] as const;
export type UploadMode = (typeof UploadModes)[number];

export const StagedUpload = defineEntity({
  name: 'StagedUpload',
  tableName: 'staged_upload',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    honeyJarId: p.uuid(),
    uploadedBy: p.uuid(),
    filename: p.string().length(255),
    title: p.string().length(300),
    declaredContentType: p.string().length(200).nullable(),
    /** The size the client announced, when it did: other sizes are refused. */
    declaredSize: p.bigint('number').nullable(),
    /** The most bytes the PUT may send: the smaller of the file limit and the jar's remaining quota. */
    maxBytes: p.bigint('number'),
    limitReason: p.string().length(20),
    mode: p.enum(UploadModes),
    tokenHash: p.string().length(64),
    expiresAt: p.datetime(3),
    completedAt: p.datetime(3).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});

export type StagedUpload = InferEntity<typeof StagedUpload>;
