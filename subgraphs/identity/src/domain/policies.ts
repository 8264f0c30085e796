// Who may do what in identity, as one table of rules. Resolvers ask `authorize` and never decide access themselves.
import { ForbiddenError, UnauthenticatedError, type Viewer } from '@sting/kit';

export type IdentityAction = 'user:read' | 'user:create' | 'user:sync' | 'session:resolve';

type Rule = (viewer: Viewer) => boolean;

const isSystem: Rule = (viewer) => viewer.kind === 'system';
const isAdmin: Rule = (viewer) => viewer.kind === 'user' && viewer.role === 'ADMIN';
const isSignedIn: Rule = (viewer) => viewer.kind === 'user';

const RULES: Record<IdentityAction, Rule[]> = {
  // Anyone signed in sees who owns a honey jar or wrote a message; the gateway resolves references as system.
  'user:read': [isSignedIn, isSystem],
  'user:create': [isAdmin],
  // Copying a person from the external identity provider, and turning a session token into a viewer, are the
  // gateway's jobs alone.
  'user:sync': [isSystem],
  'session:resolve': [isSystem],
};

// Nobody but the gateway may ask these, so an anonymous caller is refused, not invited to sign in.
const GATEWAY_ONLY: ReadonlySet<IdentityAction> = new Set(['user:sync', 'session:resolve']);

export function can(viewer: Viewer | null, action: IdentityAction): boolean {
  return viewer !== null && RULES[action].some((rule) => rule(viewer));
}

/** Throws UNAUTHENTICATED for anonymous callers and FORBIDDEN for signed-in ones the rules refuse. */
export function authorize(viewer: Viewer | null, action: IdentityAction): asserts viewer is Viewer {
  if (can(viewer, action)) return;
  if (viewer === null && !GATEWAY_ONLY.has(action)) throw new UnauthenticatedError();
  throw new ForbiddenError();
}
