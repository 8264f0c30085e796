// People who sign in at an external identity provider (Ory Kratos): the gateway copies each one here, keyed by
// the provider's identity id, so User references resolve like any other. They have no password here.
import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { BadUserInputError, Roles, type Role } from '@sting/kit';
import { User } from '../entities/user.ts';
import { isUserId, normalizeEmail } from './users.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// A provider name is stored beside each User; `builtin` is this subgraph's own and never external.
const PROVIDER = /^[a-z][a-z0-9-]{0,31}$/;
// Inserts of one new person by replicas at once can trip the email index (see syncExternalUser): tries before a
// unique violation is taken to mean the address belongs to someone else.
const SYNC_ATTEMPTS = 3;

export interface ExternalUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  provider: string;
}

function validate(input: ExternalUser): ExternalUser {
  if (!isUserId(input.id)) throw new BadUserInputError('Not a valid User id', 'id');
  const email = normalizeEmail(input.email);
  if (email.length > 254 || !EMAIL.test(email))
    throw new BadUserInputError('Enter a valid email address', 'email');
  const displayName = input.displayName.trim();
  if (displayName.length < 1 || displayName.length > 120)
    throw new BadUserInputError('Display name must be 1 to 120 characters', 'displayName');
  if (!Roles.includes(input.role)) throw new BadUserInputError('Unknown role', 'role');
  if (!PROVIDER.test(input.provider) || input.provider === 'builtin')
    throw new BadUserInputError('Not an external identity provider', 'provider');
  return { id: input.id, email, displayName, role: input.role, provider: input.provider };
}

/**
 * Creates the User or brings its email, name and role up to date, in one statement; a User of another provider
 * with that id is never overwritten. ON CONFLICT only arbitrates the id: when gateway replicas insert the same new
 * person at once, the later insert can trip the email index before it sees the id, so a unique violation is
 * retried once the other insert has committed, and only a violation that persists means the address is taken.
 */
export async function syncExternalUser(em: EntityManager, input: ExternalUser): Promise<void> {
  const valid = validate(input);
  for (let attempt = 1; ; attempt++) {
    const now = new Date();
    try {
      await em.upsert(
        User,
        { ...valid, passwordHash: null, createdAt: now, updatedAt: now },
        {
          onConflictFields: ['id'],
          onConflictMergeFields: ['email', 'displayName', 'role', 'updatedAt'],
          onConflictWhere: { provider: valid.provider },
        },
      );
      break;
    } catch (err) {
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      // The address belongs to another User (for instance a built-in account from before the switch to Kratos).
      if (attempt === SYNC_ATTEMPTS)
        throw new BadUserInputError('A user with this email already exists', 'email');
    }
  }
  const stored = await em.findOne(User, { id: valid.id }, { refresh: true });
  if (stored?.provider !== valid.provider)
    throw new BadUserInputError('This id belongs to a user of another provider', 'id');
}
