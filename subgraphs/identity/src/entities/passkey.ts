// A WebAuthn credential (passkey) a person registered. The public key is stored as the COSE bytes the
// authenticator gave; the signature counter is kept to notice a cloned authenticator.
import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { User } from './user.ts';

export const Passkey = defineEntity({
  name: 'Passkey',
  tableName: 'passkey',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    // The authenticator's credential id, base64url.
    credentialId: p.string().length(1366).unique(),
    publicKey: p.text(),
    counter: p.bigint('number').default(0),
    transports: p.json<string[]>().nullable(),
    name: p.string().length(64),
    backedUp: p.boolean().default(false),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    lastUsedAt: p.datetime(3).nullable(),
  },
});

export type Passkey = InferEntity<typeof Passkey>;
