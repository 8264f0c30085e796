// Who may do what to a document, as one table of rules over knowledge's read model of its honey jar (SEARCH's
// jar-access facts). Reading follows the jar; a document waiting for review is seen only by its reviewers and
// its uploader; changing or removing one is for the jar's owner, admins and the person who uploaded it.
import { ForbiddenError, NotFoundError, UnauthenticatedError, type Viewer } from '@sting/kit';
import { can as canOnJar, type JarAccessFacts } from '../jar-access/policies.ts';
import type { Document } from '../../entities/document.ts';

export type DocumentAction = 'read' | 'change' | 'review';

type Rule = (
  viewer: Viewer,
  facts: JarAccessFacts,
  doc: Pick<Document, 'uploadedBy' | 'processingStatus'>,
) => boolean;

const isSystem: Rule = (v) => v.kind === 'system';
const isAdmin: Rule = (v) => v.kind === 'user' && v.role === 'ADMIN';
const isJarOwner: Rule = (v, f) => v.kind === 'user' && f.jar.ownerId === v.id;
const isUploader: Rule = (v, _f, d) => v.kind === 'user' && d.uploadedBy === v.id;
const readsJar: Rule = (v, f, d) => d.processingStatus !== 'PENDING_REVIEW' && canOnJar(v, 'read', f);
// The uploader keeps seeing their proposal while it waits, but only as long as they may still read the jar.
const isUploaderReading: Rule = (v, f, d) => isUploader(v, f, d) && canOnJar(v, 'read', f);
const isUploaderWithAccess: Rule = (v, f, d) =>
  isUploader(v, f, d) && (canOnJar(v, 'upload', f) || canOnJar(v, 'uploadForReview', f));

const RULES: Record<DocumentAction, Rule[]> = {
  read: [isSystem, isAdmin, isJarOwner, readsJar, isUploaderReading],
  change: [isSystem, isAdmin, isJarOwner, isUploaderWithAccess],
  review: [isAdmin, isJarOwner],
};

export function canOnDocument(
  viewer: Viewer | null,
  action: DocumentAction,
  facts: JarAccessFacts | null,
  doc: Pick<Document, 'uploadedBy' | 'processingStatus'>,
): boolean {
  return viewer !== null && facts !== null && RULES[action].some((rule) => rule(viewer, facts, doc));
}

/** Unreadable documents are reported as missing, so ids of other people's documents reveal nothing. */
export function authorizeDocument(
  viewer: Viewer | null,
  action: DocumentAction,
  facts: JarAccessFacts | null,
  doc: Pick<Document, 'id' | 'uploadedBy' | 'processingStatus'>,
): asserts viewer is Viewer {
  if (viewer === null) throw new UnauthenticatedError();
  if (!canOnDocument(viewer, 'read', facts, doc)) throw new NotFoundError('Document', doc.id);
  if (action !== 'read' && !canOnDocument(viewer, action, facts, doc)) throw new ForbiddenError();
}
