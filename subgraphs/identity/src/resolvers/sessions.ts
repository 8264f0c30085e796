// Signing in and out, and the gateway's session lookup.
import type { SubgraphContext } from '@sting/kit';
import { authorize } from '../domain/policies.ts';
import { endSessions, login, resolveSession } from '../domain/sessions.ts';
import { identitySettings } from '../domain/settings.ts';
import type { IdentityLoaders } from '../loaders.ts';

type Context = SubgraphContext<IdentityLoaders>;

export const sessionQueries = {
  sessionViewer: async (_: unknown, { token }: { token: string }, { viewer, em }: Context) => {
    authorize(viewer, 'session:resolve');
    const user = await resolveSession(em, token);
    return user && { id: user.id, role: user.role, email: user.email, displayName: user.displayName };
  },
};

export const sessionMutations = {
  login: (_: unknown, args: { email: string; password: string }, { em, runtime }: Context) =>
    login(em, args.email, args.password, identitySettings(runtime.config).sessionTtlHours),

  logout: async (_: unknown, __: unknown, { viewer, em }: Context) => {
    if (viewer?.kind !== 'user') return false;
    await endSessions(em, viewer.id);
    return true;
  },
};
