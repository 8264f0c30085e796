// Managing people (admins), one's own account, and searching people by name: parse, ask the policy, call the domain.
import { type SubgraphContext, type Viewer } from '@sting/kit';
import { authorize, can } from '../domain/policies.ts';
import { changePassword, updateProfile, type Self } from '../domain/people/account.ts';
import type { PeopleContext } from '../domain/people/context.ts';
import { deleteUser } from '../domain/people/deletion.ts';
import { listUsers, searchPeople } from '../domain/people/directory-listing.ts';
import { createPasswordResetLink, resetPassword } from '../domain/people/password-reset.ts';
import { disableUser, enableUser, setUserRole } from '../domain/people/standing.ts';
import { identitySettings } from '../domain/settings.ts';
import { announceRevocationsNow } from './api-keys.ts';
import type { MutationResolvers, QueryResolvers } from '../generated/resolvers-types.ts';
import type { IdentityLoaders } from '../loaders.ts';
import { directoryFor } from './directory.ts';

type Context = SubgraphContext<IdentityLoaders, 'identity'>;

export function peopleContext(context: Context, viewer: Viewer): PeopleContext {
  const settings = identitySettings(context.runtime.config);
  return {
    em: context.em,
    viewer,
    requestId: context.requestId,
    clientAddress: context.client?.address,
    assurance: { requireMfaForAdmins: settings.requireMfaForAdmins, provider: settings.provider },
    directory: directoryFor(context.runtime),
  };
}

export function selfOf(context: Context): Self {
  authorize(context.viewer, 'account:manage');
  const viewer = context.viewer as Extract<Viewer, { kind: 'user' }>;
  return {
    em: context.em,
    userId: viewer.id,
    sessionId: viewer.sessionId ?? null,
    requestId: context.requestId,
    clientAddress: context.client?.address,
  };
}

export const peopleQueries: QueryResolvers<Context> = {
  users: (_, args, { viewer, em }) => {
    authorize(viewer, 'user:list');
    return listUsers(em, args);
  },

  searchPeople: (_, { query, first }, { viewer, em }) => {
    authorize(viewer, 'user:search');
    return searchPeople(em, query, first, can(viewer, 'user:read-private'));
  },
};

export const peopleMutations: MutationResolvers<Context> = {
  setUserRole: (_, { id, role }, context) => {
    authorize(context.viewer, 'user:manage');
    return setUserRole(peopleContext(context, context.viewer), id, role);
  },

  // Disabling (and enabling, see enableUser) revokes the person's API keys.
  disableUser: async (_, { id }, context) => {
    authorize(context.viewer, 'user:manage');
    const user = await disableUser(peopleContext(context, context.viewer), id);
    await announceRevocationsNow(context);
    return user;
  },

  enableUser: async (_, { id }, context) => {
    authorize(context.viewer, 'user:manage');
    const user = await enableUser(peopleContext(context, context.viewer), id);
    await announceRevocationsNow(context);
    return user;
  },

  deleteUser: (_, { input }, context) => {
    authorize(context.viewer, 'user:manage');
    return deleteUser(peopleContext(context, context.viewer), input);
  },

  createPasswordResetLink: (_, { userId }, context) => {
    authorize(context.viewer, 'user:manage');
    const { publicUrl } = identitySettings(context.runtime.config);
    return createPasswordResetLink(peopleContext(context, context.viewer), userId, publicUrl);
  },

  // The token is the credential: anyone holding a live link may use it, signed in or not. The reset revokes the
  // person's API keys.
  resetPassword: async (_, { token, newPassword }, context) => {
    const { em, requestId, client } = context;
    const done = await resetPassword(em, { requestId, clientAddress: client?.address }, token, newPassword);
    await announceRevocationsNow(context);
    return done;
  },

  updateProfile: (_, { input }, context) => updateProfile(selfOf(context), input.displayName),

  changePassword: (_, { currentPassword, newPassword }, context) =>
    changePassword(selfOf(context), currentPassword, newPassword),
};
