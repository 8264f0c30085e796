// The built-in provider's sessions: the identity subgraph keeps them, and its @inaccessible `sessionViewer` turns a
// token into the viewer behind it.
import { Roles, type Role, type Viewer } from '@sting/kit/subgraph/module.ts';
import type { AskIdentity } from './identity-subgraph.ts';
import type { SessionLookup } from './session-resolver.ts';

const SESSION_QUERY =
  'query SessionViewer($token: String!) { sessionViewer(token: $token) { id role email displayName sessionId } }';

function viewerFromSession(value: unknown): Viewer | null {
  const session = value as {
    id?: unknown;
    role?: unknown;
    email?: unknown;
    displayName?: unknown;
    sessionId?: unknown;
  } | null;
  if (!session || typeof session.id !== 'string' || !Roles.includes(session.role as Role)) return null;
  return {
    kind: 'user',
    id: session.id,
    role: session.role as Role,
    ...(typeof session.email === 'string' ? { email: session.email } : {}),
    ...(typeof session.displayName === 'string' ? { displayName: session.displayName } : {}),
    ...(typeof session.sessionId === 'string' ? { sessionId: session.sessionId } : {}),
  };
}

export function builtinSessionLookup(askIdentity: AskIdentity): SessionLookup {
  return async ({ token }) => viewerFromSession((await askIdentity(SESSION_QUERY, { token })).sessionViewer);
}
