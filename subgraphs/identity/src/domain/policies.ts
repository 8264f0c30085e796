// Who may do what in identity, as one table of rules: each row names the rules that allow the action and the
// scope an API key needs for it. Resolvers ask `authorize` and never decide access themselves.
import { canAuthor, definePolicy, isAdmin, isSignedIn, isSystem, type Policy, type Viewer } from '@sting/kit';

export type IdentityAction =
  | 'user:read'
  | 'user:create'
  | 'user:sync'
  | 'session:resolve'
  | 'api-key:manage'
  | 'api-key:resolve'
  | 'audit:read'
  | 'audit:append'
  | 'user:read-private'
  | 'user:list'
  | 'user:manage'
  | 'user:search'
  | 'account:manage'
  | 'second-factor:manage';

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
  // Other people's email, role and standing: admins (a key needs the admin scope) and the gateway; each person
  // also sees their own (resolvers/users.ts).
  'user:read-private': { rules: [isAdmin, isSystem], scope: 'admin' },
  // Listing everyone; changing roles, disabling, deleting, issuing reset links.
  'user:list': { rules: [isAdmin], scope: 'admin' },
  'user:manage': { rules: [isAdmin], scope: 'admin' },
  // Picking jar members by name: whoever may share a jar (VIEWERs author nothing).
  'user:search': { rules: [canAuthor], scope: 'any-key' },
  // One's own display name, password and sessions: with a session, never with a key.
  'account:manage': { rules: [isSignedIn], scope: 'no-key' },
  // One's own authenticator app, recovery codes, step-up and passkeys: with a session, never with a key.
  'second-factor:manage': { rules: [isSignedIn], scope: 'no-key' },
});

export function can(viewer: Viewer | null, action: IdentityAction): boolean {
  return policy.can(viewer, action, undefined);
}

/** UNAUTHENTICATED for anonymous callers, FORBIDDEN (naming a key's missing scope) for refused ones. */
export function authorize(viewer: Viewer | null, action: IdentityAction): asserts viewer is Viewer {
  policy.authorize(viewer, action, undefined);
}
