// Who may read a honey jar's knowledge and who may add documents to it, as one table over knowledge's read model
// of jar access (each row: the rules and the scope an API key needs). `readableJarsSql` states the read rule,
// with a key's jar restriction, as a SQL filter; a test keeps the two in agreement.
import {
  canAuthor,
  definePolicy,
  isAdmin,
  isId,
  isSystem,
  keyJars,
  type Policy,
  type Rule,
  type Viewer,
  uuidArray,
} from '@sting/kit';
import type { JarAccess } from '../../entities/jar-access.ts';

export type JarAccessAction = 'read' | 'upload' | 'uploadForReview';

/** The facts a rule needs about one jar, as seen by one viewer. */
export interface JarAccessFacts {
  jar: Pick<JarAccess, 'honeyJarId' | 'ownerId' | 'type' | 'status'>;
  /** Whether the viewer is an explicit member of the jar. */
  isMember: boolean;
}

type JarRule = Rule<JarAccessFacts>;

const isOwner: JarRule = (v, f) => v.kind === 'user' && f.jar.ownerId === v.id;
// PUBLIC means every signed-in user, never anonymous visitors (the same rule as honey-jars').
const isPublic: JarRule = (v, f) => v.kind === 'user' && f.jar.type === 'PUBLIC';
const isMemberOfShared: JarRule = (v, f) =>
  v.kind === 'user' && (f.jar.type === 'TEAM' || f.jar.type === 'RESTRICTED') && f.isMember;
// VIEWER is a read-only role, whatever the jar: a VIEWER may read a PUBLIC jar, or a jar they own or were added
// to, but adds nothing to it, not even a proposal for review. So an owner can share a jar read-only with a VIEWER.
const authoring =
  (rule: JarRule): JarRule =>
  (v, f) =>
    canAuthor(v, f) && rule(v, f);
const isAuthorOnPublic: JarRule = authoring(isPublic);
// An archived jar is kept for reading; nothing new goes in.
const active =
  (rule: JarRule): JarRule =>
  (v, f) =>
    f.jar.status === 'ACTIVE' && rule(v, f);

const policy: Policy<JarAccessAction, JarAccessFacts> = definePolicy<JarAccessAction, JarAccessFacts>(
  {
    // The system reads to index and to resolve references. Any key may (within its jars): the scope was asked
    // at the way in (search, documents, a jar's fields).
    read: {
      rules: [isAdmin, isSystem, isOwner, isPublic, isMemberOfShared],
      scope: 'any-key',
      jarScoped: true,
    },
    // Straight in: the owner, admins and the members of TEAM/RESTRICTED jars (none of them a VIEWER).
    upload: {
      rules: [isAdmin, isOwner, isMemberOfShared].map(authoring).map(active),
      scope: 'documents:write',
      jarScoped: true,
    },
    // Anyone else signed in may propose a document to a PUBLIC jar; it waits for the owner's or an admin's review.
    uploadForReview: { rules: [isAuthorOnPublic].map(active), scope: 'documents:write', jarScoped: true },
  },
  { jarOf: (facts) => facts.jar.honeyJarId },
);

export function can(viewer: Viewer | null, action: JarAccessAction, facts: JarAccessFacts | null): boolean {
  return facts !== null && policy.can(viewer, action, facts);
}

/** How the viewer's upload to this jar is taken: straight in, into the review queue, or not at all. */
export function uploadMode(viewer: Viewer | null, facts: JarAccessFacts | null): 'direct' | 'review' | null {
  if (can(viewer, 'upload', facts)) return 'direct';
  if (can(viewer, 'uploadForReview', facts)) return 'review';
  return null;
}

/**
 * The read rule as a SQL condition over `jar_access` aliased `a` (tombstones excluded), with its parameters.
 * `members` is the qualified name of the member table. Anonymous callers get a condition that is never true; an
 * API key restricted to some jars sees only those.
 */
export function readableJarsSql(viewer: Viewer | null, members: string): { sql: string; params: unknown[] } {
  if (viewer === null) return { sql: 'false', params: [] };
  // Ids that are not UUIDs name no jar (and would break the cast).
  const onlyJars = keyJars(viewer)?.filter((id) => isId(id));
  const within = onlyJars
    ? { sql: ' and a.honey_jar_id = any(?::uuid[])', params: [uuidArray(onlyJars)] }
    : null;
  if (viewer.kind === 'system' || isAdmin(viewer, null))
    return { sql: `not a.deleted${within?.sql ?? ''}`, params: within?.params ?? [] };
  return {
    sql: `not a.deleted${within?.sql ?? ''} and (a.owner_id = ? or a.type = 'PUBLIC' or (a.type in ('TEAM', 'RESTRICTED')
      and exists (select 1 from ${members} m where m.honey_jar_id = a.honey_jar_id and m.user_id = ? and m.present)))`,
    params: [...(within?.params ?? []), viewer.id, viewer.id],
  };
}
