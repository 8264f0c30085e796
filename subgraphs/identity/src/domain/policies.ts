// Who may do what in identity, as one table of rules: each row names the rules that allow the action and the
// scope an API key needs for it. Resolvers ask `authorize` and never decide access themselves.
import { definePolicy, isAdmin, isSignedIn, isSystem, type Policy, type Viewer } from '@sting/kit';

export type IdentityAction =
  | 'user:read'
  | 'user:create'
  | 'user:sync'
  | 'session:resolve'
  | 'api-key:manage'
  | 'api-key:resolve'
  | 'audit:read'
  | 'audit:append';

const policy: Policy<IdentityAction, undefined> = definePolicy({
  // Anyone signed in sees who owns a honey jar or wrote a message (any key too: the answers it may read name
  // people); the gateway resolves references as system.
  'user:read': { rules: [isSignedIn, isSystem], scope: 'any-key' },
  'user:create': { rules: [isAdmin], scope: 'admin' },
  // Copying a person from the external identity provider, and turning a session token into a viewer, are the
  // gateway's jobs alone: an anonymous caller is refused, not invited to sign in.
  'user:sync': { rules: [isSystem], scope: 'no-key', gatewayOnly: true },
  'session:resolve': { rules: [isSystem], scope: 'no-key', gatewayOnly: true },
  // A person manages their own keys with their session, never with a key.
  'api-key:manage': { rules: [isSignedIn], scope: 'no-key' },
  'api-key:resolve': { rules: [isSystem], scope: 'no-key', gatewayOnly: true },
  // The audit log is read by administrators (a key needs the admin scope); only the gateway appends to it.
  'audit:read': { rules: [isAdmin], scope: 'admin' },
  'audit:append': { rules: [isSystem], scope: 'no-key', gatewayOnly: true },
});

export function can(viewer: Viewer | null, action: IdentityAction): boolean {
  return policy.can(viewer, action, undefined);
}

/** UNAUTHENTICATED for anonymous callers, FORBIDDEN (naming a key's missing scope) for refused ones. */
export function authorize(viewer: Viewer | null, action: IdentityAction): asserts viewer is Viewer {
  policy.authorize(viewer, action, undefined);
}
