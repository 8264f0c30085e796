// Single-use recovery codes for when the authenticator is lost. Only the SHA-256 of each is kept: the codes carry
// 80 random bits, so a fast hash is enough (as for session tokens) and checking ten stays cheap.
import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { User } from './user.ts';

export const RecoveryCode = defineEntity({
  name: 'RecoveryCode',
  tableName: 'recovery_code',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    codeHash: p.string().length(64).unique(),
    usedAt: p.datetime(3).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});

export type RecoveryCode = InferEntity<typeof RecoveryCode>;
