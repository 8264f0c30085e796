// Who may do what to a document, as one table over knowledge's read model of its honey jar (SEARCH's jar-access
// facts); each row names the scope an API key needs. Reading follows the jar; a document waiting for review is
// seen only by its reviewers and its uploader; changing or removing one is for the jar's owner, admins and the
// person who uploaded it.
import {
  definePolicy,
  isAdmin,
  isSystem,
  NotFoundError,
  UnauthenticatedError,
  type Policy,
  type Rule,
  type Viewer,
} from '@sting/kit';
import { can as canOnJar, type JarAccessFacts } from '../jar-access/policies.ts';
import type { Document } from '../../entities/document.ts';

export type DocumentAction = 'read' | 'change' | 'review';

type DocumentFacts = { jar: JarAccessFacts; doc: Pick<Document, 'uploadedBy' | 'processingStatus'> };
type DocumentRule = Rule<DocumentFacts>;

const isJarOwner: DocumentRule = (v, { jar }) => v.kind === 'user' && jar.jar.ownerId === v.id;
const isUploader: DocumentRule = (v, { doc }) => v.kind === 'user' && doc.uploadedBy === v.id;
const readsJar: DocumentRule = (v, f) =>
  f.doc.processingStatus !== 'PENDING_REVIEW' && canOnJar(v, 'read', f.jar);
// The uploader keeps seeing their proposal while it waits, but only as long as they may still read the jar.
const isUploaderReading: DocumentRule = (v, f) => isUploader(v, f) && canOnJar(v, 'read', f.jar);
const isUploaderWithAccess: DocumentRule = (v, f) =>
  isUploader(v, f) && (canOnJar(v, 'upload', f.jar) || canOnJar(v, 'uploadForReview', f.jar));

const policy: Policy<DocumentAction, DocumentFacts> = definePolicy<DocumentAction, DocumentFacts>(
  {
    // Reached from a jar, a search hit or a citation: the scope was asked there.
    read: {
      rules: [isSystem, isAdmin, isJarOwner, readsJar, isUploaderReading],
      scope: 'any-key',
      jarScoped: true,
    },
    change: {
      rules: [isSystem, isAdmin, isJarOwner, isUploaderWithAccess],
      scope: 'documents:write',
      jarScoped: true,
    },
    review: { rules: [isAdmin, isJarOwner], scope: 'documents:write', jarScoped: true },
  },
  { jarOf: (facts) => facts.jar.jar.honeyJarId },
);

export function canOnDocument(
  viewer: Viewer | null,
  action: DocumentAction,
  facts: JarAccessFacts | null,
  doc: Pick<Document, 'uploadedBy' | 'processingStatus'>,
): boolean {
  return facts !== null && policy.can(viewer, action, { jar: facts, doc });
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
  if (action !== 'read' && facts !== null) policy.authorize(viewer, action, { jar: facts, doc });
}
