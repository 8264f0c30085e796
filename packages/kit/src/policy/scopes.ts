// What an API key may be allowed to do. A key carries a subset of these; every action a subgraph offers names the
// one scope a key needs for it (see policy.ts). A key never does more than its owner: the scope only narrows what
// the owner's role already allows.

/** Every scope a key can hold, with what it allows (shown to people creating keys, and in the README). */
export const ApiKeyScopeDescriptions = {
  'honey-jars:read':
    'Read the honey jars the owner may read: the jars, their members, their documents and document status.',
  'honey-jars:write': 'Create, change and delete honey jars and manage their members.',
  'documents:write': 'Upload, reprocess, review and delete documents in honey jars the owner may write to.',
  search:
    "Search the knowledge in honey jars the owner may read (and the key's jars, when it is restricted).",
  'bee:chat': 'Start conversations with Bee, send messages and read those conversations.',
  admin:
    "Use the owner's ADMIN role: people, alerts, platform detail, the audit log, and every jar as administrators " +
    "see them. Without it, an administrator's key has no administrator powers.",
} as const satisfies Record<string, string>;

export type ApiKeyScope = keyof typeof ApiKeyScopeDescriptions;

/** Every scope, in a stable order. */
export const ApiKeyScopes = Object.keys(ApiKeyScopeDescriptions) as readonly ApiKeyScope[];

export function isApiKeyScope(value: unknown): value is ApiKeyScope {
  return typeof value === 'string' && Object.hasOwn(ApiKeyScopeDescriptions, value);
}

/** Scopes that only create or change things: no use to a VIEWER, whose role creates nothing. */
export const AuthoringScopes: readonly ApiKeyScope[] = ['honey-jars:write', 'documents:write'];

/**
 * The scopes a key of a person with `role` may hold: a key narrows its owner, so a scope the role can never use is
 * refused rather than kept as a promise the key cannot keep.
 */
export function scopesForRole(role: 'ADMIN' | 'MEMBER' | 'VIEWER'): readonly ApiKeyScope[] {
  if (role === 'ADMIN') return ApiKeyScopes;
  return ApiKeyScopes.filter(
    (scope) => scope !== 'admin' && (role === 'MEMBER' || !AuthoringScopes.includes(scope)),
  );
}
