// Who may do what to a honey jar, as one table: each row names the rules that allow the action and the scope an
// API key needs for it. Resolvers and services call `authorize`; the list query uses `readableWhere`, which states
// the same read rule (and a key's jar restriction) as a database filter, tested to agree with it.
import type { FilterQuery } from '@mikro-orm/core';
import {
  canAuthor,
  definePolicy,
  isAdmin,
  isSignedIn,
  isSystem,
  keyJars,
  type Policy,
  type Rule,
  type Viewer,
} from '@sting/kit';
import type { HoneyJar } from '../entities/honey-jar.ts';

export type JarAction =
  'list' | 'create' | 'read' | 'readMembers' | 'update' | 'delete' | 'addMember' | 'removeMember';

/** The facts a rule needs about one jar, as seen by one viewer. */
export interface JarFacts {
  jar: Pick<HoneyJar, 'id' | 'ownerId' | 'type'>;
  /** Whether the viewer is an explicit member of the jar. */
  isMember: boolean;
}

type JarRule = Rule<JarFacts | null>;

const isOwner: JarRule = (v, f) => v.kind === 'user' && f !== null && f.jar.ownerId === v.id;
const isPublic: JarRule = (v, f) => v.kind === 'user' && f?.jar.type === 'PUBLIC';
// TEAM and RESTRICTED differ in intent (a team's shared jar vs. a hand-picked audience), not in who may read.
const isMemberOfShared: JarRule = (v, f) =>
  v.kind === 'user' && f !== null && (f.jar.type === 'TEAM' || f.jar.type === 'RESTRICTED') && f.isMember;

const policy: Policy<JarAction, JarFacts | null> = definePolicy<JarAction, JarFacts | null>(
  {
    // The root queries (honeyJars, honeyJar): which jars they return is the read rule's business.
    list: { rules: [isSignedIn, isSystem], scope: 'honey-jars:read' },
    // VIEWER is a read-only role; a key restricted to some jars makes none (it could not touch it after).
    create: { rules: [canAuthor], scope: 'honey-jars:write', jarScoped: true },
    // One jar, also as a reference inside another answer (a search hit's jar, a citation's): any key may follow
    // it there, within its jar restriction. PUBLIC means every signed-in user, never anonymous visitors; the
    // system reads to resolve references.
    read: {
      rules: [isAdmin, isSystem, isOwner, isPublic, isMemberOfShared],
      scope: 'any-key',
      jarScoped: true,
    },
    // Who else has access: for those who manage the jar and those who share it.
    readMembers: { rules: [isAdmin, isOwner, isMemberOfShared], scope: 'honey-jars:read', jarScoped: true },
    update: { rules: [isAdmin, isOwner], scope: 'honey-jars:write', jarScoped: true },
    delete: { rules: [isAdmin, isOwner], scope: 'honey-jars:write', jarScoped: true },
    addMember: { rules: [isAdmin, isOwner], scope: 'honey-jars:write', jarScoped: true },
    removeMember: { rules: [isAdmin, isOwner], scope: 'honey-jars:write', jarScoped: true },
  },
  { jarOf: (facts) => facts?.jar.id },
);

export function can(viewer: Viewer | null, action: JarAction, facts: JarFacts | null = null): boolean {
  return policy.can(viewer, action, facts);
}

/** UNAUTHENTICATED for anonymous callers, FORBIDDEN (naming a key's missing scope) when the table refuses. */
export function authorize(
  viewer: Viewer | null,
  action: JarAction,
  facts: JarFacts | null = null,
): asserts viewer is Viewer {
  policy.authorize(viewer, action, facts);
}

/** The checks that need no jar (who, the key's scope): made before a jar is looked up. */
export function authorizeCaller(viewer: Viewer | null, action: JarAction): asserts viewer is Viewer {
  policy.authorizeCaller(viewer, action);
}

/** The read rule as a filter over jars, given the ids of the jars the viewer is a member of. */
export function readableWhere(viewer: Viewer, memberJarIds: readonly string[]): FilterQuery<HoneyJar> {
  const onlyJars = keyJars(viewer);
  const restriction: FilterQuery<HoneyJar> = onlyJars ? { id: { $in: [...onlyJars] } } : {};
  if (viewer.kind === 'system' || isAdmin(viewer, null)) return restriction;
  return {
    ...restriction,
    $or: [
      { ownerId: viewer.id },
      { type: 'PUBLIC' },
      { type: { $in: ['TEAM', 'RESTRICTED'] }, id: { $in: [...memberJarIds] } },
    ],
  };
}
