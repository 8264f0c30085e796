// Who may read a honey jar's knowledge and who may add documents to it, as one table of rules over knowledge's
// read model of jar access. `readableJarsSql` states the read rule as a SQL filter; a test keeps the two in agreement.
import type { Viewer } from '@sting/kit';
import type { JarAccess } from '../../entities/jar-access.ts';

export type JarAccessAction = 'read' | 'upload' | 'uploadForReview';

/** The facts a rule needs about one jar, as seen by one viewer. */
export interface JarAccessFacts {
  jar: Pick<JarAccess, 'ownerId' | 'type' | 'status'>;
  /** Whether the viewer is an explicit member of the jar. */
  isMember: boolean;
}

type Rule = (viewer: Viewer, facts: JarAccessFacts) => boolean;

const isSystem: Rule = (v) => v.kind === 'system';
const isAdmin: Rule = (v) => v.kind === 'user' && v.role === 'ADMIN';
const isOwner: Rule = (v, f) => v.kind === 'user' && f.jar.ownerId === v.id;
// PUBLIC means every signed-in user, never anonymous visitors (the same rule as honey-jars').
const isPublic: Rule = (v, f) => v.kind === 'user' && f.jar.type === 'PUBLIC';
const isMemberOfShared: Rule = (v, f) =>
  v.kind === 'user' && (f.jar.type === 'TEAM' || f.jar.type === 'RESTRICTED') && f.isMember;
// VIEWER is a read-only role: it may read a PUBLIC jar but proposes nothing, not even for review.
const isAuthorOnPublic: Rule = (v, f) => isPublic(v, f) && v.kind === 'user' && v.role !== 'VIEWER';
// An archived jar is kept for reading; nothing new goes in.
const active =
  (rule: Rule): Rule =>
  (v, f) =>
    f.jar.status === 'ACTIVE' && rule(v, f);

const RULES: Record<JarAccessAction, Rule[]> = {
  // The system reads to index and to resolve references.
  read: [isAdmin, isSystem, isOwner, isPublic, isMemberOfShared],
  // Straight in: the owner, admins and the members of TEAM/RESTRICTED jars.
  upload: [isAdmin, isOwner, isMemberOfShared].map(active),
  // Anyone else signed in may propose a document to a PUBLIC jar; it waits for the owner's or an admin's review.
  uploadForReview: [isAuthorOnPublic].map(active),
};

export function can(viewer: Viewer | null, action: JarAccessAction, facts: JarAccessFacts | null): boolean {
  return viewer !== null && facts !== null && RULES[action].some((rule) => rule(viewer, facts));
}

/** How the viewer's upload to this jar is taken: straight in, into the review queue, or not at all. */
export function uploadMode(viewer: Viewer | null, facts: JarAccessFacts | null): 'direct' | 'review' | null {
  if (can(viewer, 'upload', facts)) return 'direct';
  if (can(viewer, 'uploadForReview', facts)) return 'review';
  return null;
}

/**
 * The read rule as a SQL condition over `jar_access` aliased `a` (tombstones excluded), with its parameters.
 * `members` is the qualified name of the member table. Anonymous callers get a condition that is never true.
 */
export function readableJarsSql(viewer: Viewer | null, members: string): { sql: string; params: unknown[] } {
  if (viewer === null) return { sql: 'false', params: [] };
  if (viewer.kind === 'system' || viewer.role === 'ADMIN') return { sql: 'not a.deleted', params: [] };
  return {
    sql: `not a.deleted and (a.owner_id = ? or a.type = 'PUBLIC' or (a.type in ('TEAM', 'RESTRICTED')
      and exists (select 1 from ${members} m where m.honey_jar_id = a.honey_jar_id and m.user_id = ? and m.present)))`,
    params: [viewer.id, viewer.id],
  };
}
