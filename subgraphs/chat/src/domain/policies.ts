// Who may do what with a conversation, as one table of rules. Resolvers and services ask `authorize` and never
// decide access themselves.
import { ForbiddenError, NotFoundError, UnauthenticatedError, type Viewer } from '@sting/kit';

export type ConversationAction = 'start' | 'read' | 'send';

/** What the rules need to know about a conversation. */
export interface ConversationRef {
  id?: string;
  ownerId: string;
}

type UserViewer = Extract<Viewer, { kind: 'user' }>;

const isOwner = (viewer: Viewer, conversation: ConversationRef | null) =>
  viewer.kind === 'user' && conversation !== null && viewer.id === conversation.ownerId;

const rules: Record<ConversationAction, (viewer: Viewer, conversation: ConversationRef | null) => boolean> = {
  // Anyone signed in, whatever their role, may start a conversation of their own.
  start: (viewer) => viewer.kind === 'user',
  // Conversations are private to their owner: admins manage people and jars, not what people ask Bee.
  // The gateway itself (system) may read one to resolve an entity reference it was handed.
  read: (viewer, conversation) => isOwner(viewer, conversation) || viewer.kind === 'system',
  // Only the owner speaks in a conversation.
  send: (viewer, conversation) => isOwner(viewer, conversation),
};

/**
 * Throws UNAUTHENTICATED for an anonymous viewer. A person refused a conversation that is not theirs gets
 * NOT_FOUND, exactly as for one that does not exist: FORBIDDEN would confirm that it exists (the platform's rule
 * for records a viewer may not see). Other refusals are FORBIDDEN.
 */
export function authorize(
  viewer: Viewer | null,
  action: ConversationAction,
  conversation: ConversationRef | null,
): asserts viewer is Viewer {
  if (!viewer) throw new UnauthenticatedError();
  if (rules[action](viewer, conversation)) return;
  if (action === 'start') throw new ForbiddenError('Only a signed-in person can start a conversation');
  if (viewer.kind === 'user') throw new NotFoundError('Conversation', conversation?.id);
  throw new ForbiddenError('The gateway cannot write in a conversation');
}

/** The signed-in person behind a request, or UNAUTHENTICATED. */
export function signedInUser(viewer: Viewer | null): UserViewer {
  if (!viewer || viewer.kind !== 'user') throw new UnauthenticatedError();
  return viewer;
}

/** Any signed-in viewer (a person or the gateway itself), or UNAUTHENTICATED. */
export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw new UnauthenticatedError();
  return viewer;
}

/** A viewer-scoped check for lists: true when the viewer may read the conversation. */
export function mayRead(viewer: Viewer | null, conversation: ConversationRef): boolean {
  return viewer !== null && rules.read(viewer, conversation);
}
