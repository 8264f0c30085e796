// Who may do what with a conversation, as one table: each row names the rules that allow the action and the scope
// an API key needs (bee:chat for all of chat). Resolvers and services ask `authorize` and never decide access
// themselves.
import {
  definePolicy,
  ForbiddenError,
  isSignedIn,
  isSystem,
  NotFoundError,
  refusalError,
  UnauthenticatedError,
  type Policy,
  type Rule,
  type UserViewer,
  type Viewer,
} from '@sting/kit';

export type ConversationAction = 'start' | 'read' | 'send';

/** What the rules need to know about a conversation. */
export interface ConversationRef {
  id?: string;
  ownerId: string;
}

const isOwner: Rule<ConversationRef | null> = (viewer, conversation) =>
  viewer.kind === 'user' && conversation !== null && viewer.id === conversation.ownerId;

const policy: Policy<ConversationAction, ConversationRef | null> = definePolicy({
  // Anyone signed in, whatever their role, may start a conversation of their own.
  start: { rules: [isSignedIn], scope: 'bee:chat' },
  // Conversations are private to their owner: admins manage people and jars, not what people ask Bee.
  // The gateway itself (system) may read one to resolve an entity reference it was handed.
  read: { rules: [isOwner, isSystem], scope: 'bee:chat' },
  // Only the owner speaks in a conversation.
  send: { rules: [isOwner], scope: 'bee:chat' },
});

/**
 * Throws UNAUTHENTICATED for an anonymous viewer and FORBIDDEN naming the scope for a key without bee:chat. A
 * person refused a conversation that is not theirs gets NOT_FOUND, exactly as for one that does not exist:
 * FORBIDDEN would confirm that it exists (the platform's rule for records a viewer may not see). Other refusals
 * are FORBIDDEN.
 */
export function authorize(
  viewer: Viewer | null,
  action: ConversationAction,
  conversation: ConversationRef | null,
): asserts viewer is Viewer {
  const decision = policy.decide(viewer, action, conversation);
  if (decision.allowed) return;
  if (decision.refusal !== 'rules') throw refusalError(decision);
  if (action === 'start') throw new ForbiddenError('Only a signed-in person can start a conversation');
  if (viewer?.kind === 'user') throw new NotFoundError('Conversation', conversation?.id);
  throw new ForbiddenError('The gateway cannot write in a conversation');
}

/** Any signed-in viewer (a person or the gateway itself) allowed into chat, or UNAUTHENTICATED / FORBIDDEN. */
export function requireViewer(viewer: Viewer | null): Viewer {
  policy.authorizeCaller(viewer, 'read');
  return viewer;
}

/** The signed-in person behind a request (a key needs bee:chat), or UNAUTHENTICATED / FORBIDDEN. */
export function signedInUser(viewer: Viewer | null): UserViewer {
  policy.authorizeCaller(viewer, 'start');
  if (viewer.kind !== 'user') throw new UnauthenticatedError();
  return viewer;
}

/** A viewer-scoped check for lists and references: true when the viewer may read the conversation. */
export function mayRead(viewer: Viewer | null, conversation: ConversationRef): boolean {
  return policy.can(viewer, 'read', conversation);
}
