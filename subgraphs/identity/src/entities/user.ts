// A person who can sign in. The password is kept only as a self-describing scrypt hash (see domain/passwords.ts);
// people of an external identity provider (Kratos) have none and sign in there.
import { randomUUID } from 'node:crypto';
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Roles } from '@sting/kit';

export const User = defineEntity({
  name: 'User',
  tableName: 'user',
  properties: {
    id: p
      .uuid()
      .primary()
      .onCreate(() => randomUUID()),
    // Stored lower-cased so uniqueness and sign-in do not depend on how the address was typed.
    email: p.string().length(254).unique(),
    displayName: p.string().length(120),
    role: p.enum(Roles),
    passwordHash: p.text().lazy().nullable(),
    // `builtin`, or the external provider (`kratos`) whose identity id is this User's id.
    provider: p.string().length(32).default('builtin'),
    // Set while an admin has disabled the account: no sign-in, no session, no API key works.
    disabledAt: p.datetime(3).nullable(),
    lastSignInAt: p.datetime(3).nullable(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    updatedAt: p
      .datetime(3)
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export type User = InferEntity<typeof User>;
