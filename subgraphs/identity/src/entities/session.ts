// A signed-in session. Only the SHA-256 of its token is stored, so a database dump cannot be replayed as logins.
import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { User } from './user.ts';

/** Authenticator assurance: aal1 = one factor (password or reset link), aal2 = a second factor was proven. */
export const AssuranceLevels = ['aal1', 'aal2'] as const;
export type AssuranceLevel = (typeof AssuranceLevels)[number];

export const Session = defineEntity({
  name: 'Session',
  tableName: 'session',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    tokenHash: p.string().length(64).unique(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    // The absolute end of the session; the idle timeout is measured from lastUsedAt.
    expiresAt: p.datetime(3).index(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    // Touched at most once a minute, so a busy client does not write on every request.
    lastUsedAt: p.datetime(3).onCreate(() => new Date()),
    // What the gateway saw of the client that signed in: its user agent (cut to 256) and address.
    client: p.string().length(256).nullable(),
    address: p.string().length(64).nullable(),
    aal: p.enum(AssuranceLevels).default('aal1'),
    // When a second factor was last proven in this session (sign-in or step-up).
    secondFactorAt: p.datetime(3).nullable(),
    // How the session began: password, passkey, reset, …
    method: p.string().length(32).default('password'),
  },
});

export type Session = InferEntity<typeof Session>;
