// User fields, lookups and creation: parse arguments, ask the policy, call the domain.
import { BadUserInputError, type SubgraphContext, type Viewer } from '@sting/kit';
import { authorize, can } from '../domain/policies.ts';
import { syncExternalUser, type ExternalUser } from '../domain/external-users.ts';
import { createPerson } from '../domain/people/create.ts';
import { deletedUser, isUserId, type UserParent } from '../domain/users.ts';
import type { MutationResolvers, QueryResolvers, UserResolvers } from '../generated/resolvers-types.ts';
import type { IdentityLoaders } from '../loaders.ts';
import { peopleContext } from './people.ts';

type Context = SubgraphContext<IdentityLoaders, 'identity'>;

export const userQueries: QueryResolvers<Context> = {
  me: (_, __, { viewer, loaders }) => (viewer?.kind === 'user' ? loaders.userById.load(viewer.id) : null),

  user: (_, { id }, { viewer, loaders }) => {
    authorize(viewer, 'user:read');
    if (!isUserId(id)) throw new BadUserInputError('Not a valid User id', 'id');
    return loaders.userById.load(id);
  },
};

export const userMutations: MutationResolvers<Context> = {
  createUser: (_, { input }, context) => {
    authorize(context.viewer, 'user:create');
    return createPerson(peopleContext(context, context.viewer), { ...input, role: input.role ?? undefined });
  },

  syncExternalUser: async (_, { input }: { input: ExternalUser }, { viewer, em }) => {
    authorize(viewer, 'user:sync');
    await syncExternalUser(em, input);
    return true;
  },
};

// Email, role and standing are the person's own and admins' business: anyone else reads null.
const seesPrivate = (user: UserParent, viewer: Viewer | null) =>
  !user.deleted && ((viewer?.kind === 'user' && viewer.id === user.id) || can(viewer, 'user:read-private'));

export const User: UserResolvers<Context> = {
  // Anonymous callers get null rather than an error: a reference is part of a larger answer. A reference to a
  // User who no longer exists gets a placeholder: its holders (a jar's owner, a message's author) declare it
  // non-null, and a null there would empty the whole answer around it.
  __resolveReference: async ({ id }, { viewer, loaders }) =>
    can(viewer, 'user:read') ? ((await loaders.userById.load(id)) ?? deletedUser(id)) : null,
  deleted: (user) => user.deleted === true,
  email: (user, _, { viewer }) => (seesPrivate(user, viewer) ? user.email : null),
  role: (user, _, { viewer }) => (seesPrivate(user, viewer) ? user.role : null),
  disabled: (user, _, { viewer }) => (seesPrivate(user, viewer) ? Boolean(user.disabledAt) : null),
  lastSignInAt: (user, _, { viewer }) => (seesPrivate(user, viewer) ? (user.lastSignInAt ?? null) : null),
};
