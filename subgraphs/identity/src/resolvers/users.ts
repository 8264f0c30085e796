// User fields, lookups and creation: parse arguments, ask the policy, call the domain.
import { BadUserInputError, type SubgraphContext } from '@sting/kit';
import type { Role } from '@sting/kit';
import { authorize, can } from '../domain/policies.ts';
import { syncExternalUser, type ExternalUser } from '../domain/external-users.ts';
import { createUser, deletedUser, isUserId } from '../domain/users.ts';
import type { IdentityLoaders } from '../loaders.ts';

type Context = SubgraphContext<IdentityLoaders, 'identity'>;

interface CreateUserArgs {
  input: { email: string; displayName: string; password: string; role?: Role | null };
}

export const userQueries = {
  me: (_: unknown, __: unknown, { viewer, loaders }: Context) =>
    viewer?.kind === 'user' ? loaders.userById.load(viewer.id) : null,

  user: (_: unknown, { id }: { id: string }, { viewer, loaders }: Context) => {
    authorize(viewer, 'user:read');
    if (!isUserId(id)) throw new BadUserInputError('Not a valid User id', 'id');
    return loaders.userById.load(id);
  },
};

export const userMutations = {
  createUser: (_: unknown, { input }: CreateUserArgs, { viewer, em }: Context) => {
    authorize(viewer, 'user:create');
    return createUser(em, { ...input, role: input.role ?? undefined });
  },

  syncExternalUser: async (_: unknown, { input }: { input: ExternalUser }, { viewer, em }: Context) => {
    authorize(viewer, 'user:sync');
    await syncExternalUser(em, input);
    return true;
  },
};

export const User = {
  // Anonymous callers get null rather than an error: a reference is part of a larger answer. A reference to a
  // User who no longer exists gets a placeholder: its holders (a jar's owner, a message's author) declare it
  // non-null, and a null there would empty the whole answer around it.
  __resolveReference: async ({ id }: { id: string }, { viewer, loaders }: Context) =>
    can(viewer, 'user:read') ? ((await loaders.userById.load(id)) ?? deletedUser(id)) : null,
  deleted: (user: { deleted?: boolean }) => user.deleted === true,
};
