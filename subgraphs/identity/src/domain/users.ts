// Creating and finding Users. Input is validated here so every caller (mutation, first-admin bootstrap) gets
// the same rules and the same BAD_USER_INPUT errors naming the field.
import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { BadUserInputError, isId, readRows, refuseDeceptiveCharacters, Roles, type Role } from '@sting/kit';
import { User } from '../entities/user.ts';
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.ts';
import { refuseWeakPassword, type PasswordContext } from './password-policy.ts';

// Bounded so one request cannot make scrypt chew on megabytes.
const MAX_PASSWORD_LENGTH = 1024;
// Deliberately loose: one @, something on each side, a dot in the domain, no spaces. Mail delivery decides the rest.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface NewUser {
  email: string;
  displayName: string;
  password: string;
  role?: Role;
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A User id is a UUID (kit's one id validator). */
export const isUserId = isId;

/** A display name trimmed, or BAD_USER_INPUT naming `field`. */
export function validDisplayName(value: string, field = 'displayName'): string {
  const displayName = value.trim();
  refuseDeceptiveCharacters(displayName, field, 'Display name');
  if (displayName.length < 1 || displayName.length > 120) {
    throw new BadUserInputError('Display name must be 1 to 120 characters', field);
  }
  return displayName;
}

/**
 * A new password as given, or BAD_USER_INPUT naming `field`: its length, and not one guessed first (a common word,
 * a run or repetition of characters, the person's email or name: password-policy.ts).
 */
export function validPassword(password: string, field = 'password', context?: PasswordContext): string {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new BadUserInputError(`Password must be at least ${MIN_PASSWORD_LENGTH} characters`, field);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new BadUserInputError(`Password must be at most ${MAX_PASSWORD_LENGTH} characters`, field);
  }
  refuseWeakPassword(password, field, context);
  return password;
}

/** A new person's fields, normalised and checked (BAD_USER_INPUT naming the field). */
export function validNewUser(input: NewUser): Required<NewUser> {
  const email = normalizeEmail(input.email);
  if (email.length > 254 || !EMAIL.test(email))
    throw new BadUserInputError('Enter a valid email address', 'email');
  const displayName = validDisplayName(input.displayName);
  validPassword(input.password, 'password', { email, displayName });
  const role = input.role ?? 'MEMBER';
  if (!Roles.includes(role)) throw new BadUserInputError('Unknown role', 'role');
  return { email, displayName, password: input.password, role };
}

export async function createUser(em: EntityManager, input: NewUser): Promise<User> {
  const valid = validNewUser(input);
  const duplicate = () => new BadUserInputError('A user with this email already exists', 'email');
  if ((await em.count(User, { email: valid.email })) > 0) throw duplicate();
  const user = em.create(User, {
    email: valid.email,
    displayName: valid.displayName,
    role: valid.role,
    passwordHash: await hashPassword(valid.password),
  });
  try {
    await em.flush();
  } catch (err) {
    // Two concurrent sign-ups with one address: the unique index decides, the loser gets the same message.
    if (err instanceof UniqueConstraintViolationException) throw duplicate();
    throw err;
  }
  return user;
}

/**
 * One query for any number of ids; answers in the order asked, null where no such User exists. Read as rows, not
 * entities (readRows): what the loader answers is only shown.
 */
export async function findUsersByIds(em: EntityManager, ids: readonly string[]): Promise<(User | null)[]> {
  const valid = ids.filter(isUserId);
  const users = valid.length ? await readRows(em, User, { id: { $in: [...new Set(valid)] } }) : [];
  const byId = new Map(users.map((u) => [u.id, u]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** A User as its resolvers receive it: a stored row, or the placeholder of one who no longer exists. */
export interface UserParent {
  id: string;
  email: string | null;
  displayName: string;
  role: Role;
  createdAt: Date;
  disabledAt?: Date | null;
  lastSignInAt?: Date | null;
  deleted?: boolean;
}

/** What a reference to a User who no longer exists resolves to (see the schema's User). */
export function deletedUser(id: string): UserParent {
  return {
    id,
    email: null,
    displayName: 'Deleted user',
    role: 'VIEWER' as const,
    createdAt: new Date(0),
    deleted: true,
  };
}

export async function adminExists(em: EntityManager): Promise<boolean> {
  return (await em.count(User, { role: 'ADMIN' })) > 0;
}
