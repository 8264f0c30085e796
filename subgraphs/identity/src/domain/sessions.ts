// Signing in and out. A session token is 32 random bytes handed to the client once; the database keeps only its
// SHA-256, so looking a token up is one indexed equality and a leaked table cannot be replayed. A session ends
// at its absolute lifetime (expiresAt) or after the idle timeout without a request, whichever comes first.
import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { UnauthenticatedError, type ClientInfo } from '@sting/kit';
import { Session, type AssuranceLevel } from '../entities/session.ts';
import { User } from '../entities/user.ts';
import { decoyHash, hashPassword, needsRehash, verifyPassword } from './passwords.ts';
import { normalizeEmail } from './users.ts';

export const DEFAULT_SESSION_LIFETIME_HOURS = 24;
export const DEFAULT_SESSION_IDLE_MINUTES = 720;
// lastUsedAt is written at most this often, so a busy client does not write on every request.
export const TOUCH_INTERVAL_MS = 60_000;

export interface SessionLimits {
  idleTimeoutMinutes: number;
  absoluteLifetimeHours: number;
}

export const DEFAULT_SESSION_LIMITS: SessionLimits = {
  idleTimeoutMinutes: DEFAULT_SESSION_IDLE_MINUTES,
  absoluteLifetimeHours: DEFAULT_SESSION_LIFETIME_HOURS,
};

// One message for an unknown email, a wrong password and a disabled account: the answer must not reveal which
// accounts exist.
const INVALID_CREDENTIALS = 'Invalid email or password';

export interface IssuedSession {
  token: string;
  expiresAt: Date;
  user: User;
  session: Session;
}

export interface SessionOptions {
  limits?: Partial<SessionLimits>;
  /** What the gateway saw of the client signing in. */
  client?: ClientInfo;
  /** How the session begins: password, passkey, reset, … */
  method?: string;
  aal?: AssuranceLevel;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

function limitsOf(limits?: Partial<SessionLimits>): SessionLimits {
  return { ...DEFAULT_SESSION_LIMITS, ...limits };
}

/** Starts a session for a User who has proven who they are (a password, a passkey, a reset link). */
export async function issueSession(
  em: EntityManager,
  user: User,
  options: SessionOptions = {},
): Promise<IssuedSession> {
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  const expiresAt = new Date(now.getTime() + limitsOf(options.limits).absoluteLifetimeHours * 3_600_000);
  const aal = options.aal ?? 'aal1';
  const session = em.create(Session, {
    tokenHash: hashToken(token),
    user,
    expiresAt,
    lastUsedAt: now,
    client: options.client?.userAgent?.slice(0, 256) ?? null,
    address: options.client?.address?.slice(0, 64) ?? null,
    aal,
    secondFactorAt: aal === 'aal2' ? now : null,
    method: options.method ?? 'password',
  });
  user.lastSignInAt = now;
  await em.flush();
  return { token, expiresAt, user, session };
}

/** The User behind an email and password, or UNAUTHENTICATED (one message for every reason). */
export async function checkPassword(em: EntityManager, email: string, password: string): Promise<User> {
  const user = await em.findOne(User, { email: normalizeEmail(email) }, { populate: ['passwordHash'] });
  // Always run scrypt once, against a decoy when the email is unknown, so timing does not tell them apart.
  // People of an external provider have no password here and never match.
  const matches = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
  if (!user?.passwordHash || !matches || user.disabledAt) throw new UnauthenticatedError(INVALID_CREDENTIALS);
  if (needsRehash(user.passwordHash)) user.passwordHash = await hashPassword(password);
  return user;
}

export async function login(
  em: EntityManager,
  email: string,
  password: string,
  options: SessionOptions = {},
): Promise<IssuedSession> {
  const user = await checkPassword(em, email, password);
  return issueSession(em, user, { ...options, method: 'password' });
}

/** When a session stops being valid: its absolute end, or the idle timeout after its last use. */
export function sessionEndsAt(
  session: Pick<Session, 'expiresAt' | 'lastUsedAt'>,
  limits?: Partial<SessionLimits>,
): Date {
  const idleEnd = session.lastUsedAt.getTime() + limitsOf(limits).idleTimeoutMinutes * 60_000;
  return new Date(Math.min(session.expiresAt.getTime(), idleEnd));
}

/**
 * The live session behind a token (with its User), or null when the token is unknown, past its lifetime or idle
 * timeout, or its User is disabled. A found session is marked used (at most once a minute).
 */
export async function findSession(
  em: EntityManager,
  token: string,
  limits?: Partial<SessionLimits>,
  now = new Date(),
): Promise<Session | null> {
  if (!token) return null;
  const idleSince = new Date(now.getTime() - limitsOf(limits).idleTimeoutMinutes * 60_000);
  const session = await em.findOne(
    Session,
    {
      tokenHash: hashToken(token),
      expiresAt: { $gt: now },
      lastUsedAt: { $gt: idleSince },
      user: { disabledAt: null },
    },
    { populate: ['user'] },
  );
  if (session && now.getTime() - session.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
    // Conditional, so replicas resolving the same token at once write it once.
    const stale = new Date(now.getTime() - TOUCH_INTERVAL_MS);
    await em.nativeUpdate(Session, { id: session.id, lastUsedAt: { $lte: stale } }, { lastUsedAt: now });
    session.lastUsedAt = now;
  }
  return session;
}

/** The User behind a live session token, or null. */
export async function resolveSession(
  em: EntityManager,
  token: string,
  limits?: Partial<SessionLimits>,
): Promise<User | null> {
  return (await findSession(em, token, limits))?.user ?? null;
}

/** A User's live sessions, most recently used first. */
export async function liveSessions(
  em: EntityManager,
  userId: string,
  limits?: Partial<SessionLimits>,
  now = new Date(),
): Promise<Session[]> {
  const idleSince = new Date(now.getTime() - limitsOf(limits).idleTimeoutMinutes * 60_000);
  return em.find(
    Session,
    { user: userId, expiresAt: { $gt: now }, lastUsedAt: { $gt: idleSince } },
    { orderBy: { lastUsedAt: 'desc', id: 'asc' } },
  );
}

/** Ends one session of a User (signing out on this device only); the count is 0 when it was already gone. */
export async function endSession(em: EntityManager, userId: string, sessionId: string): Promise<number> {
  return em.nativeDelete(Session, { id: sessionId, user: userId });
}

/** Ends every session of a User but one (null: all of them); answers the ids of the sessions ended. */
export async function endSessionsExcept(
  em: EntityManager,
  userId: string,
  keepSessionId: string | null,
): Promise<string[]> {
  const where = keepSessionId ? { user: userId, id: { $ne: keepSessionId } } : { user: userId };
  const ended = await em.find(Session, where, { fields: ['id'] });
  if (ended.length) await em.nativeDelete(Session, { id: { $in: ended.map((s) => s.id) } });
  return ended.map((s) => s.id);
}

/** Ends every session of a User, on every device. */
export async function endSessions(em: EntityManager, userId: string): Promise<number> {
  return em.nativeDelete(Session, { user: userId });
}

/** Deletes sessions past their lifetime or idle timeout; safe to run from any replica at any time. */
export async function purgeExpiredSessions(
  em: EntityManager,
  now = new Date(),
  limits?: Partial<SessionLimits>,
): Promise<number> {
  const idleSince = new Date(now.getTime() - limitsOf(limits).idleTimeoutMinutes * 60_000);
  return em.nativeDelete(Session, {
    $or: [{ expiresAt: { $lte: now } }, { lastUsedAt: { $lte: idleSince } }],
  });
}
