// A one-time password-reset link an admin issued. Only the SHA-256 of its token is stored; it is valid until
// expiresAt and only until first used.
import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { User } from './user.ts';

export const PasswordReset = defineEntity({
  name: 'PasswordReset',
  tableName: 'password_reset',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    tokenHash: p.string().length(64).unique(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    // The admin who issued it (kept as a plain id: the link outlives nothing, but the admin may be deleted).
    issuedBy: p.uuid().nullable(),
    expiresAt: p.datetime(3),
    usedAt: p.datetime(3).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});

export type PasswordReset = InferEntity<typeof PasswordReset>;
