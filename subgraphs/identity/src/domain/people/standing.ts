// An admin changes a person's role, or disables and re-enables their account. Each change commits with its
// `identity.user.changed` event (gateways forget the person's cached sessions and re-check their sockets at once)
// and its audit record. Disabling also ends every session and revokes every API key for good, so re-enabling
// never revives an old sign-in or an old key.
import {
  BadUserInputError,
  inTransaction,
  isId,
  lockUntilCommit,
  NotFoundError,
  Roles,
  type Role,
} from '@sting/kit';
import { User } from '../../entities/user.ts';
import { revokeAllApiKeys } from '../api-keys.ts';
import { requireFreshSecondFactor } from '../assurance.ts';
import { recordAuditEvent } from '../audit/record.ts';
import { endSessions } from '../sessions.ts';
import { actorOf, viewerId, type PeopleContext } from './context.ts';
import { enqueueUserChanged } from './events.ts';

export async function findPerson(ctx: PeopleContext, id: string, field = 'id'): Promise<User> {
  if (!isId(id)) throw new BadUserInputError('Not a valid User id', field);
  const user = await ctx.em.findOne(User, { id });
  if (!user) throw new NotFoundError('No such user');
  return user;
}

const NEEDS_AN_ADMIN = 'STING needs at least one enabled admin';

/**
 * Refuses a change that would leave nobody able to administer STING. Called inside the change's transaction: it
 * takes the admins' lock first, so two changes at once (two admins demoting or disabling each other) are counted
 * one after the other, and the second sees the first's.
 */
export async function keepAnAdmin(ctx: PeopleContext, user: User): Promise<void> {
  if (user.role !== 'ADMIN' || user.disabledAt) return;
  await lockUntilCommit(ctx.em, 'sting.identity.admins');
  const others = await ctx.em.count(User, { role: 'ADMIN', disabledAt: null, id: { $ne: user.id } });
  if (others === 0) throw new BadUserInputError(NEEDS_AN_ADMIN, 'id');
}

async function audit(ctx: PeopleContext, action: string, user: User, details?: Record<string, unknown>) {
  await recordAuditEvent(ctx.em, {
    actor: actorOf(ctx.viewer),
    action,
    targetType: 'user',
    targetId: user.id,
    outcome: 'success',
    requestId: ctx.requestId,
    clientAddress: ctx.clientAddress ?? null,
    details: details ?? null,
  });
}

const origin = (ctx: PeopleContext) => ({ requestId: ctx.requestId, actorId: viewerId(ctx.viewer) });

export async function setUserRole(ctx: PeopleContext, id: string, role: Role): Promise<User> {
  if (!Roles.includes(role)) throw new BadUserInputError('Unknown role', 'role');
  await requireFreshSecondFactor(ctx.em, ctx.viewer, ctx.assurance);
  const user = await findPerson(ctx, id);
  if (user.role === role) return user;
  const from = user.role;
  return inTransaction(ctx.em, async () => {
    if (role !== 'ADMIN') await keepAnAdmin(ctx, user);
    await ctx.directory?.setRole(user.id, role);
    user.role = role;
    enqueueUserChanged(ctx.em, origin(ctx), user.id, 'role');
    await audit(ctx, 'user.role_changed', user, { from, to: role });
    return user;
  });
}

/**
 * Disabling or enabling an administrator changes who holds administration, as a role change does, and needs the
 * same fresh second factor (else a session without one could lock the others out, or bring back a disabled one).
 */
async function requireStepUpForAdmin(ctx: PeopleContext, user: User): Promise<void> {
  if (user.role === 'ADMIN') await requireFreshSecondFactor(ctx.em, ctx.viewer, ctx.assurance);
}

export async function disableUser(ctx: PeopleContext, id: string): Promise<User> {
  const user = await findPerson(ctx, id);
  await requireStepUpForAdmin(ctx, user);
  if (user.id === viewerId(ctx.viewer))
    throw new BadUserInputError('You cannot disable your own account', 'id');
  if (user.disabledAt) return user;
  return inTransaction(ctx.em, async () => {
    await keepAnAdmin(ctx, user);
    await ctx.directory?.setDisabled(user.id, true);
    user.disabledAt = new Date();
    await ctx.em.flush();
    await endSessions(ctx.em, user.id);
    const keysRevoked = await revokeKeys(ctx, user);
    enqueueUserChanged(ctx.em, origin(ctx), user.id, 'disabled');
    await audit(ctx, 'user.disabled', user, { apiKeysRevoked: keysRevoked });
    return user;
  });
}

export async function enableUser(ctx: PeopleContext, id: string): Promise<User> {
  const user = await findPerson(ctx, id);
  await requireStepUpForAdmin(ctx, user);
  if (!user.disabledAt) return user;
  await ctx.directory?.setDisabled(user.id, false);
  return inTransaction(ctx.em, async () => {
    // Disabling revokes every key, so none should be left; one still live is from an account disabled before
    // disabling did so, and would otherwise come back to life now.
    const keysRevoked = await revokeKeys(ctx, user);
    user.disabledAt = null;
    enqueueUserChanged(ctx.em, origin(ctx), user.id, 'enabled');
    await audit(ctx, 'user.enabled', user, keysRevoked ? { apiKeysRevoked: keysRevoked } : undefined);
    return user;
  });
}

/** Revokes the person's API keys as part of disabling them (audited as done by the admin). */
function revokeKeys(ctx: PeopleContext, user: User): Promise<number> {
  const request = { requestId: ctx.requestId, clientAddress: ctx.clientAddress };
  return revokeAllApiKeys(ctx.em, user.id, actorOf(ctx.viewer), request, 'user.disabled');
}

export { audit as auditPersonAction, origin as eventOriginOf };
