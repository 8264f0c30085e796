// Signing in and out. A session token is 32 random bytes handed to the client once; the database keeps only its
// SHA-256, so looking a token up is one indexed equality and a leaked table cannot be replayed.
import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { UnauthenticatedError, type ClientInfo } from '@sting/kit';
import { Session } from '../entities/session.ts';
import { User } from '../entities/user.ts';
import { decoyHash, hashPassword, needsRehash, verifyPassword } from './passwords.ts';
import { normalizeEmail } from './users.ts';

export const DEFAULT_SESSION_TTL_HOURS = 24;

// One message for an unknown email and a wrong password: the answer must not reveal which accounts exist.
const INVALID_CREDENTIALS = 'Invalid email or password';

export interface IssuedSession {
  token: string;
  expiresAt: Date;
  user: User;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export async function login(
  em: EntityManager,
  email: string,
  password: string,
  ttlHours = DEFAULT_SESSION_TTL_HOURS,
  client?: ClientInfo,
): Promise<IssuedSession> {
  const user = await em.findOne(User, { email: normalizeEmail(email) }, { populate: ['passwordHash'] });
  // Always run scrypt once, against a decoy when the email is unknown, so timing does not tell them apart.
  // People of an external provider have no password here and never match.
  const matches = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
  // A disabled account answers like a wrong password: the answer does not tell a guesser the account exists.
  if (!user?.passwordHash || !matches || user.disabledAt) throw new UnauthenticatedError(INVALID_CREDENTIALS);

  if (needsRehash(user.passwordHash)) user.passwordHash = await hashPassword(password);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlHours * 3_600_000);
  const now = new Date();
  em.create(Session, {
    tokenHash: hashToken(token),
    user,
    expiresAt,
    lastUsedAt: now,
    client: client?.userAgent?.slice(0, 256) ?? null,
    address: client?.address?.slice(0, 64) ?? null,
  });
  user.lastSignInAt = now;
  await em.flush();
  return { token, expiresAt, user };
}

/** The live session behind a token (with its User), or null when the token is unknown or expired. */
export async function findSession(em: EntityManager, token: string): Promise<Session | null> {
  if (!token) return null;
  return em.findOne(
    Session,
    { tokenHash: hashToken(token), expiresAt: { $gt: new Date() } },
    { populate: ['user'] },
  );
}

/** The User behind a live session token, or null when the token is unknown or expired. */
export async function resolveSession(em: EntityManager, token: string): Promise<User | null> {
  return (await findSession(em, token))?.user ?? null;
}

/** Ends one session of a User (signing out on this device only); the count is 0 when it was already gone. */
export async function endSession(em: EntityManager, userId: string, sessionId: string): Promise<number> {
  return em.nativeDelete(Session, { id: sessionId, user: userId });
}

/** Ends every session of a User, on every device. */
export async function endSessions(em: EntityManager, userId: string): Promise<number> {
  return em.nativeDelete(Session, { user: userId });
}

/** Deletes expired sessions; safe to run from any replica at any time. */
export async function purgeExpiredSessions(em: EntityManager, now = new Date()): Promise<number> {
  return em.nativeDelete(Session, { expiresAt: { $lte: now } });
}
