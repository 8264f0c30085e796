// One-time password-reset links. An admin issues one (STING sends no mail; the admin hands the link over); it
// holds 32 random bytes, of which only the SHA-256 is stored, is valid 30 minutes and works once. Setting the
// new password recovers the account: every session of the person ends and every API key of theirs is revoked, so
// whoever held the account before is left with nothing that still works; the link's page signs nobody in.
import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, inTransaction } from '@sting/kit';
import { PasswordReset } from '../../entities/password-reset.ts';
import { requireFreshSecondFactor } from '../assurance.ts';
import { revokeAllApiKeys } from '../api-keys.ts';
import { recordAuditEvent } from '../audit/record.ts';
import { hashPassword } from '../passwords.ts';
import { endSessionsExcept, hashToken } from '../sessions.ts';
import { validPassword } from '../users.ts';
import { refusePersonalPassword } from '../password-policy.ts';
import { actorOf, viewerId, type PeopleContext } from './context.ts';
import { enqueueUserChanged } from './events.ts';
import { findPerson } from './standing.ts';

export const RESET_LINK_TTL_MS = 30 * 60_000;
const INVALID_LINK = 'This password-reset link is not valid or has expired; ask an admin for a new one';

export interface IssuedResetLink {
  url: string;
  expiresAt: Date;
}

/** The web app's page for the link; the token rides in the fragment, so it never reaches a server log. */
export function resetLinkUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/reset-password#token=${token}`;
}

export async function createPasswordResetLink(
  ctx: PeopleContext,
  userId: string,
  publicUrl: string,
): Promise<IssuedResetLink> {
  const user = await findPerson(ctx, userId, 'userId');
  if (ctx.directory) throw new BadUserInputError('Passwords are reset at the identity provider', 'userId');
  // The link signs in as that person: as sensitive as any step-up operation (a session without a fresh second
  // factor, or an admin key, could otherwise take over any account, an administrator's included).
  await requireFreshSecondFactor(ctx.em, ctx.viewer, ctx.assurance);
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + RESET_LINK_TTL_MS);
  await inTransaction(ctx.em, async () => {
    ctx.em.create(PasswordReset, {
      tokenHash: hashToken(token),
      user,
      issuedBy: viewerId(ctx.viewer),
      expiresAt,
    });
    await ctx.em.flush();
    await recordAuditEvent(ctx.em, {
      actor: actorOf(ctx.viewer),
      action: 'user.password_reset_link_issued',
      targetType: 'user',
      targetId: user.id,
      outcome: 'success',
      requestId: ctx.requestId,
      clientAddress: ctx.clientAddress ?? null,
      details: { expiresAt: expiresAt.toISOString() },
    });
  });
  return { url: resetLinkUrl(publicUrl, token), expiresAt };
}

export async function resetPassword(
  em: EntityManager,
  origin: { requestId: string; clientAddress?: string },
  token: string,
  newPassword: string,
): Promise<true> {
  validPassword(newPassword, 'newPassword');
  const hash = await hashPassword(newPassword);
  return inTransaction(em, async () => {
    // Claimed with a conditional update, so two uses of one link at once cannot both succeed.
    const tokenHash = hashToken(token ?? '');
    const now = new Date();
    const claimed = await em.nativeUpdate(
      PasswordReset,
      { tokenHash, usedAt: null, expiresAt: { $gt: now } },
      { usedAt: now },
    );
    if (claimed !== 1) throw new BadUserInputError(INVALID_LINK, 'token');
    const link = await em.findOneOrFail(
      PasswordReset,
      { tokenHash },
      { populate: ['user', 'user.passwordHash'] },
    );
    const userId = link.user.id;
    // Refused here, the claim above is rolled back with the transaction: the link can be used again.
    refusePersonalPassword(newPassword, 'newPassword', {
      email: link.user.email,
      displayName: link.user.displayName,
    });
    link.user.passwordHash = hash;
    await em.flush();
    const ended = await endSessionsExcept(em, userId, null);
    if (ended.length)
      enqueueUserChanged(em, { requestId: origin.requestId }, userId, 'sessions-ended', ended);
    const keysRevoked = await revokeAllApiKeys(em, userId, { userId }, origin, 'user.password_reset');
    await recordAuditEvent(em, {
      actor: { userId },
      action: 'user.password_reset',
      targetType: 'user',
      targetId: userId,
      outcome: 'success',
      requestId: origin.requestId,
      clientAddress: origin.clientAddress ?? null,
      details: { sessionsEnded: ended.length, apiKeysRevoked: keysRevoked },
    });
    return true as const;
  });
}
