// A person's key for scripts and REST clients. Only the SHA-256 of the key is stored (looked up by one indexed
// equality, and a leaked table cannot be replayed); `prefix` keeps its first characters so people recognise it.
import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { User } from './user.ts';

export const ApiKey = defineEntity({
  name: 'ApiKey',
  tableName: 'api_key',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    // The key goes with its owner: a deleted person's keys stop working with the row that names them.
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    name: p.string().length(80),
    prefix: p.string().length(16),
    keyHash: p.string().length(64).unique(),
    scopes: p.array(),
    // Null: every jar the owner may reach; otherwise only these (and never beyond what the owner may reach).
    honeyJarIds: p.array().nullable(),
    expiresAt: p.datetime(3).nullable(),
    lastUsedAt: p.datetime(3).nullable(),
    revokedAt: p.datetime(3).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});

export type ApiKey = InferEntity<typeof ApiKey>;
