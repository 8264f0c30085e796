// Signing in and out, and the gateway's session lookup.
import { BadUserInputError, type SubgraphContext } from '@sting/kit';
import { authorize } from '../domain/policies.ts';
import { trailOf } from '../domain/second-factor/events.ts';
import { signInWithPassword } from '../domain/second-factor/sign-in.ts';
import { secondFactorKey } from '../domain/second-factor/settings.ts';
import { endAllOwnSessions, endOwnSession } from '../domain/people/account.ts';
import { findSession } from '../domain/sessions.ts';
import { identitySettings } from '../domain/settings.ts';
import type { MutationResolvers, QueryResolvers } from '../generated/resolvers-types.ts';
import type { IdentityLoaders } from '../loaders.ts';
import { selfOf } from './people.ts';

type Context = SubgraphContext<IdentityLoaders, 'identity'>;

export const sessionQueries: QueryResolvers<Context> = {
  sessionViewer: async (_, { token }, { viewer, em, runtime }) => {
    authorize(viewer, 'session:resolve');
    const session = await findSession(em, token, identitySettings(runtime.config).sessions);
    if (!session) return null;
    const { user } = session;
    return {
      id: user.id,
      role: user.role,
      email: user.email,
      displayName: user.displayName,
      sessionId: session.id,
    };
  },
};

// With an external provider, sessions live there: a password here, or signing out here, would mean nothing.
export function refuseUnlessBuiltin(runtime: Context['runtime'], message: string): void {
  if (identitySettings(runtime.config).provider !== 'builtin') throw new BadUserInputError(message);
}

export const sessionMutations: MutationResolvers<Context> = {
  login: async (_, args, context) => {
    const { em, runtime, client } = context;
    refuseUnlessBuiltin(runtime, 'Sign in through the identity provider');
    const issued = await signInWithPassword(em, args, {
      limits: identitySettings(runtime.config).sessions,
      client,
      key: () => secondFactorKey(runtime.config),
      trail: trailOf(context),
    });
    return { ...issued, aal: issued.session.aal };
  },

  logout: async (_, __, context) => {
    refuseUnlessBuiltin(context.runtime, 'Sign out through the identity provider');
    if (context.viewer?.kind !== 'user') return false;
    // An API key has no session to end, and must never end its owner's: the policy refuses it (FORBIDDEN).
    const self = selfOf(context);
    // The gateway names the session a request came with; a viewer asserted without one has no single session
    // to end, so all of the User's are. Either way every gateway hears of it (identity.user.changed) and drops
    // the session and its sockets at once.
    if (self.sessionId) await endOwnSession(self, self.sessionId);
    else await endAllOwnSessions(self);
    return true;
  },
};
