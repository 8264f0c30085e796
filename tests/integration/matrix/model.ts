// The authorization matrix's model: the cells (who asks, with what credential, about which jar) and the expected
// answer for each, stated from the product's rules (roles, relations, jar types, API-key scopes and jar
// restrictions), independently of how the subgraphs implement them.
import type { ApiKeyScope } from '@sting/kit';

export const ROLES = ['ADMIN', 'MEMBER', 'VIEWER'] as const;
export const RELATIONS = ['owner', 'member', 'other'] as const;
/**
 * How a person authenticates: their session; an API key with every scope they may hold (admin only for
 * administrators); a key lacking the scope the operation needs; a key with every scope but restricted to another
 * honey jar.
 */
export const CREDENTIALS = ['session', 'key', 'key-without-scope', 'key-other-jars'] as const;
export const JAR_TYPES = ['PRIVATE', 'TEAM', 'RESTRICTED', 'PUBLIC'] as const;

export type Role = (typeof ROLES)[number];
export type Relation = (typeof RELATIONS)[number];
export type Credential = (typeof CREDENTIALS)[number];
export type JarType = (typeof JAR_TYPES)[number];

/**
 * What the operation is about: one honey jar, one document in a jar (uploaded by the jar's owner), one
 * conversation (relation `owner` is the person's own, any other relation someone else's), or nothing in particular.
 */
export type Target = 'jar' | 'document' | 'conversation' | 'none';

export type Cell =
  | { who: 'anonymous'; jarType: JarType | null }
  | { who: 'person'; role: Role; relation: Relation; credential: Credential; jarType: JarType | null };

export type PersonCell = Extract<Cell, { who: 'person' }>;

/** What the rules of an operation see of a person in a cell. */
export interface Asker {
  role: Role;
  relation: Relation;
  jarType: JarType | null;
  /** An administrator acting as one: with a session, or with a key holding the admin scope. */
  admin: boolean;
  session: boolean;
}

/** The expectation for one operation. */
export interface Expectation {
  /**
   * What an API key needs: one scope, or any of several; `any-key` every key may; `no-key` a session only;
   * `public` anyone, anonymous callers too (signing in, redeeming a reset link).
   */
  scope: ApiKeyScope | readonly ApiKeyScope[] | 'any-key' | 'no-key' | 'public';
  target: Target;
  /** The person's role and relation allow it (after the credential checks below). */
  allows: (asker: Asker) => boolean;
}

export const SHARED: readonly JarType[] = ['TEAM', 'RESTRICTED'];

/** The scopes the `key-without-scope` credential lacks for an operation. */
export function missingScopes(expectation: Expectation): ApiKeyScope[] {
  const { scope } = expectation;
  if (typeof scope !== 'string') return [...scope];
  if (scope === 'any-key' || scope === 'no-key' || scope === 'public') return ['honey-jars:read'];
  return [scope];
}

const ALL_SCOPES: readonly ApiKeyScope[] = [
  'honey-jars:read',
  'honey-jars:write',
  'documents:write',
  'search',
  'bee:chat',
  'admin',
];

/** The scopes of the key a cell uses (none for a session or anonymous caller). */
export function keyScopes(cell: Cell, expectation: Expectation): ApiKeyScope[] | null {
  if (cell.who === 'anonymous' || cell.credential === 'session') return null;
  // Only an administrator's key holds admin, and a viewer's no write scope (the role creates nothing).
  const mayHold = ALL_SCOPES.filter((scope) =>
    scope === 'admin' ? cell.role === 'ADMIN' : cell.role !== 'VIEWER' || !scope.endsWith(':write'),
  );
  if (cell.credential !== 'key-without-scope') return mayHold;
  const missing = missingScopes(expectation);
  return mayHold.filter((scope) => !missing.includes(scope));
}

/** True when the cell's caller should get through; false when they should be refused (or see nothing). */
export function expected(cell: Cell, expectation: Expectation): boolean {
  if (expectation.scope === 'public') return true;
  if (cell.who === 'anonymous') return false;
  const scopes = keyScopes(cell, expectation);
  if (scopes) {
    if (expectation.scope === 'no-key') return false;
    if (expectation.scope !== 'any-key') {
      const anyOf = typeof expectation.scope === 'string' ? [expectation.scope] : expectation.scope;
      if (!anyOf.some((scope) => scopes.includes(scope))) return false;
    }
    // A key restricted to another jar touches no jar, nor a document in one.
    if (
      cell.credential === 'key-other-jars' &&
      (expectation.target === 'jar' || expectation.target === 'document')
    )
      return false;
  }
  return expectation.allows({
    role: cell.role,
    relation: cell.relation,
    jarType: cell.jarType,
    admin: cell.role === 'ADMIN' && (scopes === null || scopes.includes('admin')),
    session: scopes === null,
  });
}

/**
 * Every cell for an operation on that target. The owner asks with every credential; members and outsiders with a
 * session and a full key (a key never lifts what the relation allows; the scope and jar-restriction refusals are
 * the owner's cells). With no target the person simply asks, with every credential.
 */
export function cellsFor(target: Target): Cell[] {
  const types: (JarType | null)[] = target === 'jar' || target === 'document' ? [...JAR_TYPES] : [null];
  // A conversation is one's own or someone else's.
  const relations: readonly Relation[] =
    target === 'conversation' ? ['owner', 'other'] : target === 'none' ? ['other'] : RELATIONS;
  const credentials = (relation: Relation): readonly Credential[] =>
    relation === 'owner' || target === 'none' ? CREDENTIALS : ['session', 'key'];
  const cells: Cell[] = [];
  for (const jarType of types) {
    cells.push({ who: 'anonymous', jarType });
    for (const role of ROLES)
      for (const relation of relations)
        for (const credential of credentials(relation))
          cells.push({ who: 'person', role, relation, credential, jarType });
  }
  return cells;
}

export function describeCell(cell: Cell): string {
  const jar = cell.jarType ? ` ${cell.jarType}` : '';
  if (cell.who === 'anonymous') return `anonymous${jar}`;
  return `${cell.role} ${cell.relation} ${cell.credential}${jar}`;
}

// The rules the expectations are written with.
export const readsJar = (a: Asker) =>
  a.admin ||
  a.relation === 'owner' ||
  a.jarType === 'PUBLIC' ||
  (a.relation === 'member' && SHARED.includes(a.jarType!));
export const managesJar = (a: Asker) => a.admin || a.relation === 'owner';
export const authors = (a: Asker) => a.role !== 'VIEWER';
export const everyone = () => true;
export const administrators = (a: Asker) => a.admin;
