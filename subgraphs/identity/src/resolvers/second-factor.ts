// The signed-in person's authenticator app, recovery codes and step-up: parse, ask the policy, call the domain.
import { NotFoundError, type SubgraphContext } from '@sting/kit';
import { User } from '../entities/user.ts';
import { requireFreshIfEnrolled } from '../domain/assurance.ts';
import { authorize } from '../domain/policies.ts';
import { trailOf } from '../domain/second-factor/events.ts';
import {
  confirmTotpEnrollment,
  disableTotp,
  regenerateRecoveryCodes,
  secondFactorStatus,
  verifySecondFactor,
} from '../domain/second-factor/second-factor.ts';
import { secondFactorKey, totpIssuer } from '../domain/second-factor/settings.ts';
import { startTotpEnrollment } from '../domain/second-factor/totp.ts';
import { identitySettings } from '../domain/settings.ts';
import type { MutationResolvers, QueryResolvers } from '../generated/resolvers-types.ts';
import type { IdentityLoaders } from '../loaders.ts';
import { refuseUnlessBuiltin } from './sessions.ts';

type Context = SubgraphContext<IdentityLoaders, 'identity'>;

// Second factors are the built-in provider's: with Kratos, people set them up there.
function managed(context: Context): void {
  authorize(context.viewer, 'second-factor:manage');
  refuseUnlessBuiltin(context.runtime, 'Set up second factors at the identity provider');
}

export const secondFactorQueries: QueryResolvers<Context> = {
  secondFactor: (_, __, context) => {
    authorize(context.viewer, 'second-factor:manage');
    return secondFactorStatus(context.em, context.viewer.kind === 'user' ? context.viewer.id : '');
  },
};

export const secondFactorMutations: MutationResolvers<Context> = {
  startTotpEnrollment: async (_, __, context) => {
    managed(context);
    const { em, viewer, runtime } = context;
    const user = await em.findOne(User, { id: viewer?.kind === 'user' ? viewer.id : '' });
    if (!user) throw new NotFoundError('User');
    await requireFreshIfEnrolled(em, viewer);
    return startTotpEnrollment(em, user, {
      key: await secondFactorKey(runtime.config),
      issuer: totpIssuer(runtime.config),
    });
  },

  confirmTotpEnrollment: async (_, { code }, context) => {
    managed(context);
    const key = await secondFactorKey(context.runtime.config);
    return { codes: await confirmTotpEnrollment(context.em, context.viewer, code, key, trailOf(context)) };
  },

  disableTotp: async (_, { code }, context) => {
    managed(context);
    const key = await secondFactorKey(context.runtime.config);
    return disableTotp(context.em, context.viewer, code, key, trailOf(context));
  },

  regenerateRecoveryCodes: async (_, __, context) => {
    managed(context);
    const settings = identitySettings(context.runtime.config);
    return { codes: await regenerateRecoveryCodes(context.em, context.viewer, settings, trailOf(context)) };
  },

  verifySecondFactor: async (_, { code }, context) => {
    managed(context);
    const key = await secondFactorKey(context.runtime.config);
    return verifySecondFactor(context.em, context.viewer, code, key, trailOf(context));
  },
};
