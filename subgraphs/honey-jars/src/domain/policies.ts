// Who may do what to a honey jar, as one table of rules. Resolvers and services call `authorize`; the list query
// uses `readableWhere`, which states the same read rule as a database filter (tested to agree with it).
import type { FilterQuery } from '@mikro-orm/core';
import { ForbiddenError, UnauthenticatedError, type Viewer } from '@sting/kit';
import type { HoneyJar } from '../entities/honey-jar.ts';

export type JarAction = 'create' | 'read' | 'update' | 'delete' | 'addMember' | 'removeMember';

/** The facts a rule needs about one jar, as seen by one viewer. */
export interface JarFacts {
  jar: Pick<HoneyJar, 'ownerId' | 'type'>;
  /** Whether the viewer is an explicit member of the jar. */
  isMember: boolean;
}

type Rule = (viewer: Viewer, facts: JarFacts | null) => boolean;

const isSystem: Rule = (v) => v.kind === 'system';
const isAdmin: Rule = (v) => v.kind === 'user' && v.role === 'ADMIN';
// VIEWER is a read-only role: it may read what is shared with it but never creates jars.
const canAuthor: Rule = (v) => v.kind === 'user' && (v.role === 'MEMBER' || v.role === 'ADMIN');
const isOwner: Rule = (v, f) => v.kind === 'user' && f !== null && f.jar.ownerId === v.id;
const isPublic: Rule = (v, f) => v.kind === 'user' && f?.jar.type === 'PUBLIC';
// TEAM and RESTRICTED differ in intent (a team's shared jar vs. a hand-picked audience), not in who may read.
const isMemberOfShared: Rule = (v, f) =>
  v.kind === 'user' && f !== null && (f.jar.type === 'TEAM' || f.jar.type === 'RESTRICTED') && f.isMember;

const RULES: Record<JarAction, Rule[]> = {
  create: [canAuthor],
  // PUBLIC means every signed-in user, not anonymous visitors. The system reads to resolve references.
  read: [isAdmin, isSystem, isOwner, isPublic, isMemberOfShared],
  update: [isAdmin, isOwner],
  delete: [isAdmin, isOwner],
  addMember: [isAdmin, isOwner],
  removeMember: [isAdmin, isOwner],
};

export function can(viewer: Viewer | null, action: JarAction, facts: JarFacts | null = null): boolean {
  return viewer !== null && RULES[action].some((rule) => rule(viewer, facts));
}

/** Throws UNAUTHENTICATED for anonymous callers and FORBIDDEN when the rules refuse a signed-in one. */
export function authorize(
  viewer: Viewer | null,
  action: JarAction,
  facts: JarFacts | null = null,
): asserts viewer is Viewer {
  if (viewer === null) throw new UnauthenticatedError();
  if (!can(viewer, action, facts)) throw new ForbiddenError();
}

/** The read rule as a filter over jars, given the ids of the jars the viewer is a member of. */
export function readableWhere(viewer: Viewer, memberJarIds: readonly string[]): FilterQuery<HoneyJar> {
  if (viewer.kind === 'system' || viewer.role === 'ADMIN') return {};
  return {
    $or: [
      { ownerId: viewer.id },
      { type: 'PUBLIC' },
      { type: { $in: ['TEAM', 'RESTRICTED'] }, id: { $in: [...memberJarIds] } },
    ],
  };
}
