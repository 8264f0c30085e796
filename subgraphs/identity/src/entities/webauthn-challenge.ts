// A WebAuthn challenge handed to a browser, kept here until it is answered: each is single use and short-lived,
// so a captured response cannot be replayed.
import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { User } from './user.ts';

export const ChallengePurposes = ['registration', 'sign-in'] as const;
export type ChallengePurpose = (typeof ChallengePurposes)[number];

export const WebauthnChallenge = defineEntity({
  name: 'WebauthnChallenge',
  tableName: 'webauthn_challenge',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    challenge: p.string().length(128),
    purpose: p.enum(ChallengePurposes),
    // Registration: who registers. Sign-in: the person named by email, if any (else any discoverable credential).
    user: () => p.manyToOne(User).deleteRule('cascade').nullable(),
    expiresAt: p.datetime(3).index(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
  },
});

export type WebauthnChallenge = InferEntity<typeof WebauthnChallenge>;
