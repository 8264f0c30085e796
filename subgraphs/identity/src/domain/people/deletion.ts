// An admin deletes a person. Everything is checked before anything is written: the person exists and is not the
// admin themself, a transfer names another existing person, and STING keeps an enabled admin (counted in the
// deletion's transaction, under the admins' lock). The deletion then
// commits with its events: `user.deleted` (honey-jars transfers or deletes the jars, chat deletes the
// conversations) and `identity.user.changed` (gateways drop the person's sessions and sockets at once). Sessions,
// reset links and second factors go with the row; audit records stay (they name people by id only).
import { BadUserInputError, inTransaction, type HoneyJarDisposition } from '@sting/kit';
import { User } from '../../entities/user.ts';
import { requireFreshSecondFactor } from '../assurance.ts';
import { viewerId, type PeopleContext } from './context.ts';
import { enqueueUserChanged, enqueueUserDeleted } from './events.ts';
import { auditPersonAction, eventOriginOf, findPerson, keepAnAdmin } from './standing.ts';

export interface DeleteUserRequest {
  id: string;
  honeyJars: HoneyJarDisposition;
  transferTo?: string | null;
}

export async function deleteUser(ctx: PeopleContext, input: DeleteUserRequest): Promise<true> {
  if (input.honeyJars !== 'TRANSFER' && input.honeyJars !== 'DELETE')
    throw new BadUserInputError('honeyJars must be TRANSFER or DELETE', 'honeyJars');
  await requireFreshSecondFactor(ctx.em, ctx.viewer, ctx.assurance);
  const user = await findPerson(ctx, input.id);
  if (user.id === viewerId(ctx.viewer))
    throw new BadUserInputError('You cannot delete your own account', 'id');
  let transferTo: User | null = null;
  if (input.honeyJars === 'TRANSFER') {
    if (!input.transferTo)
      throw new BadUserInputError('Name the person who receives the honey jars', 'transferTo');
    if (input.transferTo === user.id)
      throw new BadUserInputError('The honey jars cannot go to the person being deleted', 'transferTo');
    transferTo = await findPerson(ctx, input.transferTo, 'transferTo').catch((err: unknown) => {
      if (err instanceof BadUserInputError) throw err;
      throw new BadUserInputError('No such user to receive the honey jars', 'transferTo');
    });
  } else if (input.transferTo) {
    throw new BadUserInputError('transferTo is only for TRANSFER', 'transferTo');
  }
  await inTransaction(ctx.em, async () => {
    await keepAnAdmin(ctx, user);
    await ctx.directory?.deletePerson(user.id);
    const origin = eventOriginOf(ctx);
    enqueueUserDeleted(ctx.em, origin, {
      userId: user.id,
      honeyJars: input.honeyJars,
      ...(transferTo ? { transferTo: transferTo.id } : {}),
    });
    enqueueUserChanged(ctx.em, origin, user.id, 'deleted');
    await auditPersonAction(ctx, 'user.deleted', user, {
      email: user.email,
      honeyJars: input.honeyJars,
      ...(transferTo ? { transferTo: transferTo.id } : {}),
    });
    await ctx.em.flush();
    await ctx.em.nativeDelete(User, { id: user.id });
  });
  ctx.em.getUnitOfWork().unsetIdentity(user);
  return true;
}
