// A person's TOTP authenticator. The shared secret is stored encrypted (AES-256-GCM, key from the secrets
// provider, see domain/second-factor/secret-box.ts); it counts as enrolled only once a first code confirmed it.
import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { User } from './user.ts';

export const TotpFactor = defineEntity({
  name: 'TotpFactor',
  tableName: 'totp_factor',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    // One authenticator per person: starting again replaces an unconfirmed one.
    user: () => p.manyToOne(User).deleteRule('cascade').unique(),
    secretCiphertext: p.text().lazy(),
    confirmedAt: p.datetime(3).nullable(),
    // The time step of the last code accepted, so a code cannot be used twice within its window.
    lastUsedStep: p.bigint('number').nullable(),
    // Wrong codes in a row; at five, codes are refused for a while (see domain/second-factor/totp.ts).
    failedAttempts: p.integer().default(0),
    lockedUntil: p.datetime(3).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});

export type TotpFactor = InferEntity<typeof TotpFactor>;
