// Passkeys: registering, signing in without a password, and a person's own list. Parse, ask the policy, call the
// domain; registration and removal need a fresh second factor from anyone who already has one.
import { NotFoundError, type SubgraphContext } from '@sting/kit';
import { User } from '../entities/user.ts';
import { requireFreshIfEnrolled } from '../domain/assurance.ts';
import { listPasskeys, removePasskey, renamePasskey } from '../domain/passkeys/manage.ts';
import { finishPasskeyRegistration, startPasskeyRegistration } from '../domain/passkeys/registration.ts';
import { finishPasskeySignIn, startPasskeySignIn } from '../domain/passkeys/sign-in.ts';
import { authorize } from '../domain/policies.ts';
import { trailOf } from '../domain/second-factor/events.ts';
import { webauthnSettings } from '../domain/second-factor/settings.ts';
import { identitySettings } from '../domain/settings.ts';
import type { MutationResolvers, QueryResolvers } from '../generated/resolvers-types.ts';
import type { IdentityLoaders } from '../loaders.ts';
import { refuseUnlessBuiltin } from './sessions.ts';

type Context = SubgraphContext<IdentityLoaders, 'identity'>;

const KRATOS = 'Passkeys are managed at the identity provider';

async function signedInUser(context: Context): Promise<User> {
  authorize(context.viewer, 'second-factor:manage');
  refuseUnlessBuiltin(context.runtime, KRATOS);
  const user = await context.em.findOne(User, {
    id: context.viewer.kind === 'user' ? context.viewer.id : '',
  });
  if (!user) throw new NotFoundError('User');
  return user;
}

export const passkeyQueries: QueryResolvers<Context> = {
  passkeys: async (_, __, context) => listPasskeys(context.em, (await signedInUser(context)).id),
};

export const passkeyMutations: MutationResolvers<Context> = {
  startPasskeyRegistration: async (_, __, context) => {
    const user = await signedInUser(context);
    await requireFreshIfEnrolled(context.em, context.viewer);
    return startPasskeyRegistration(context.em, user, webauthnSettings(context.runtime.config));
  },

  finishPasskeyRegistration: async (_, { name, response }, context) => {
    const user = await signedInUser(context);
    const settings = webauthnSettings(context.runtime.config);
    return finishPasskeyRegistration(context.em, user, name, response, settings, trailOf(context));
  },

  renamePasskey: async (_, { id, name }, context) => {
    const user = await signedInUser(context);
    return renamePasskey(context.em, user.id, id, name, trailOf(context));
  },

  removePasskey: async (_, { id }, context) => {
    const user = await signedInUser(context);
    await requireFreshIfEnrolled(context.em, context.viewer);
    return removePasskey(context.em, user.id, id, trailOf(context));
  },

  startPasskeySignIn: (_, { email }, { em, runtime }) => {
    refuseUnlessBuiltin(runtime, 'Sign in through the identity provider');
    return startPasskeySignIn(em, email, webauthnSettings(runtime.config));
  },

  finishPasskeySignIn: async (_, { challengeId, response }, context) => {
    const { em, runtime, client } = context;
    refuseUnlessBuiltin(runtime, 'Sign in through the identity provider');
    const issued = await finishPasskeySignIn(em, challengeId, response, webauthnSettings(runtime.config), {
      limits: identitySettings(runtime.config).sessions,
      client,
      trail: trailOf(context),
    });
    return { ...issued, aal: issued.session.aal };
  },
};
