// A person's own sessions: listing them, and signing out one or all the others.
import type { SubgraphContext } from '@sting/kit';
import { endOtherSessions, endOwnSession } from '../domain/people/account.ts';
import { liveSessions, sessionEndsAt } from '../domain/sessions.ts';
import { identitySettings } from '../domain/settings.ts';
import { isUserId } from '../domain/users.ts';
import type { MutationResolvers, QueryResolvers } from '../generated/resolvers-types.ts';
import type { IdentityLoaders } from '../loaders.ts';
import { selfOf } from './people.ts';

type Context = SubgraphContext<IdentityLoaders, 'identity'>;

export const mySessionQueries: QueryResolvers<Context> = {
  mySessions: async (_, __, context) => {
    const self = selfOf(context);
    const limits = identitySettings(context.runtime.config).sessions;
    const sessions = await liveSessions(self.em, self.userId, limits);
    return sessions.map((s) => ({
      id: s.id,
      createdAt: s.createdAt,
      lastUsedAt: s.lastUsedAt,
      expiresAt: sessionEndsAt(s, limits),
      client: s.client ?? null,
      address: s.address ?? null,
      aal: s.aal,
      current: s.id === self.sessionId,
    }));
  },
};

export const mySessionMutations: MutationResolvers<Context> = {
  endSession: (_, { id }, context) => {
    const self = selfOf(context);
    // Not a session id at all: there is nothing of theirs to end.
    if (!isUserId(id)) return false;
    return endOwnSession(self, id);
  },

  endOtherSessions: (_, __, context) => endOtherSessions(selfOf(context)),
};
