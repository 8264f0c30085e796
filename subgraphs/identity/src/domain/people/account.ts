// What a person does to their own account: their display name, their password (the current one required; their
// other sessions end, so a stolen session does not outlive the change), and their sessions.
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, inTransaction, UnauthenticatedError } from '@sting/kit';
import { User } from '../../entities/user.ts';
import { recordAuditEvent } from '../audit/record.ts';
import { hashPassword, verifyPassword } from '../passwords.ts';
import { endSession, endSessionsExcept } from '../sessions.ts';
import { validDisplayName, validPassword } from '../users.ts';
import { refusePersonalPassword } from '../password-policy.ts';
import { enqueueUserChanged } from './events.ts';

/** The signed-in person acting on their own account, with the session the request came with. */
export interface Self {
  em: EntityManager;
  userId: string;
  sessionId: string | null;
  requestId: string;
  clientAddress?: string;
}

/** Gateways drop the ended sessions at once (identity.user.changed commits with the deletion). */
function announceEnded(self: Self, sessionIds: string[]): void {
  const origin = { requestId: self.requestId, actorId: self.userId };
  if (sessionIds.length) enqueueUserChanged(self.em, origin, self.userId, 'sessions-ended', sessionIds);
}

/** Ends every session of the person but the request's own, and announces it. */
async function endOthers(self: Self): Promise<string[]> {
  const ended = await endSessionsExcept(self.em, self.userId, self.sessionId);
  announceEnded(self, ended);
  return ended;
}

export async function updateProfile(self: Self, displayName: string): Promise<User> {
  const name = validDisplayName(displayName);
  const user = await self.em.findOneOrFail(User, { id: self.userId });
  user.displayName = name;
  await self.em.flush();
  return user;
}

export async function changePassword(
  self: Self,
  currentPassword: string,
  newPassword: string,
): Promise<true> {
  validPassword(newPassword, 'newPassword');
  const user = await self.em.findOneOrFail(User, { id: self.userId }, { populate: ['passwordHash'] });
  if (!user.passwordHash)
    throw new BadUserInputError('Change your password at your identity provider', 'currentPassword');
  refusePersonalPassword(newPassword, 'newPassword', { email: user.email, displayName: user.displayName });
  if (!(await verifyPassword(currentPassword, user.passwordHash))) {
    await recordAuditEvent(self.em, {
      actor: { userId: self.userId },
      action: 'user.password_changed',
      targetType: 'user',
      targetId: self.userId,
      outcome: 'failure',
      requestId: self.requestId,
      clientAddress: self.clientAddress ?? null,
    });
    throw new BadUserInputError('The current password is not correct', 'currentPassword');
  }
  // The current one was just verified, so comparing the two as typed is enough.
  if (newPassword === currentPassword)
    throw new BadUserInputError('The new password must differ from the current one', 'newPassword');
  const hash = await hashPassword(newPassword);
  await inTransaction(self.em, async () => {
    user.passwordHash = hash;
    await self.em.flush();
    const ended = await endOthers(self);
    await recordAuditEvent(self.em, {
      actor: { userId: self.userId },
      action: 'user.password_changed',
      targetType: 'user',
      targetId: self.userId,
      outcome: 'success',
      requestId: self.requestId,
      clientAddress: self.clientAddress ?? null,
      details: { sessionsEnded: ended.length },
    });
  });
  return true;
}

/** Ends one of the person's own sessions; false when it was not theirs or already gone. */
export async function endOwnSession(self: Self, sessionId: string): Promise<boolean> {
  return inTransaction(self.em, async () => {
    const ended = await endSession(self.em, self.userId, sessionId);
    if (ended) announceEnded(self, [sessionId]);
    return ended > 0;
  });
}

/** Ends every session of the person but the one this request came with; answers how many ended. */
export async function endOtherSessions(self: Self): Promise<number> {
  if (!self.sessionId) throw new UnauthenticatedError('Sign in with a session to end your other sessions');
  return inTransaction(self.em, async () => (await endOthers(self)).length);
}

/** Ends every session of the person (signing out everywhere); answers how many ended. */
export async function endAllOwnSessions(self: Self): Promise<number> {
  return inTransaction(self.em, async () => {
    const ended = await endSessionsExcept(self.em, self.userId, null);
    announceEnded(self, ended);
    return ended.length;
  });
}
