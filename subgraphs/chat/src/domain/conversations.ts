// The chat behaviour: starting conversations, storing the viewer's messages and announcing them on the bus.
// Bee's answers are produced elsewhere; nothing here invents an assistant reply.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  BadUserInputError,
  afterKey,
  enqueueEvent,
  eventFrom,
  EventTypes,
  keysetPage,
  NotFoundError,
  payloadFeed,
  Topics,
  type EventBus,
  type EventOrigin,
  type KeysetPage,
  type SubgraphContext,
  type Viewer,
  pageArgs,
} from '@sting/kit';
import { Conversation, Message, type ConversationRow, type MessageRow } from '../entities/conversation.ts';
import type { ChatLoaders } from '../loaders.ts';
import { authorize, mayRead, requireViewer, signedInUser } from './policies.ts';
import {
  DEFAULT_TITLE,
  conversationTitle,
  isId,
  messagesPage,
  messageText,
  titleFromQuestion,
} from './validation.ts';
import type { ConversationView, MessageView } from './events.ts';
import { toConversationView, toMessageView } from './views.ts';

/** What the chat services need from a request (its id and runtime stamp the events it causes). */
export interface ChatScope extends EventOrigin {
  viewer: Viewer | null;
  em: EntityManager;
  bus: EventBus;
  logger: SubgraphContext['logger'];
  loaders: ChatLoaders;
}

export const CONVERSATIONS_PAGE = { default: 50, max: 200 } as const;

export type ConversationPage = KeysetPage<ConversationView>;

/**
 * One page of the viewer's conversations, most recently active first. The cursor is the last one's (updatedAt,
 * id): a conversation that becomes active while someone pages moves to the top, where a fresh first page finds it.
 */
export async function listConversations(
  scope: ChatScope,
  args: { first?: number | null; after?: string | null } = {},
): Promise<ConversationPage> {
  const user = signedInUser(scope.viewer);
  const { first, after } = pageArgs(args, CONVERSATIONS_PAGE);
  const rows = await scope.em.find(
    Conversation,
    after
      ? {
          $and: [
            { ownerId: user.id },
            afterKey<ConversationRow>(after, { field: 'updatedAt', order: 'desc', idOrder: 'asc' }),
          ],
        }
      : { ownerId: user.id },
    { orderBy: { updatedAt: 'desc', id: 'asc' }, limit: first + 1 },
  );
  const page = keysetPage(rows, first, (row) => ({ createdAt: row.updatedAt, id: row.id }));
  return { ...page, nodes: page.nodes.map(toConversationView) };
}

/** A conversation the viewer may read, or null when it does not exist or is someone else's (hidden alike). */
export async function findConversation(scope: ChatScope, id: string): Promise<ConversationView | null> {
  requireViewer(scope.viewer);
  const row = isId(id) ? await scope.loaders.conversation.load(id) : null;
  if (!row || !mayRead(scope.viewer, row)) return null;
  return toConversationView(row);
}

export async function startConversation(
  scope: ChatScope,
  title: string | null | undefined,
): Promise<ConversationView> {
  authorize(scope.viewer, 'start', null);
  const owner = signedInUser(scope.viewer);
  const row = scope.em.create(Conversation, { title: conversationTitle(title), ownerId: owner.id });
  await scope.em.flush();
  return toConversationView(row);
}

/**
 * Stores the viewer's turn, bumps the conversation's activity and writes the `chat.message.created` event to the
 * outbox, all in one transaction: a subscriber never sees a message that could still roll back, and a stored
 * message is always announced (the relay publishes it after the commit, even if the bus is down just then).
 * `alongside` adds rows of its own to the same transaction (Bee's answer to the turn), which then commits once.
 */
export async function sendMessage(
  scope: ChatScope,
  conversationId: string,
  text: string,
  alongside?: (
    em: EntityManager,
    conversation: ConversationRow,
    question: MessageRow,
  ) => void | Promise<void>,
): Promise<MessageView> {
  const author = signedInUser(scope.viewer);
  const body = messageText(text);
  if (!isId(conversationId)) throw new NotFoundError('Conversation', conversationId);
  const message = await scope.em.transactional(async (em) => {
    const conversation = await em.findOne(Conversation, { id: conversationId });
    if (!conversation) throw new NotFoundError('Conversation', conversationId);
    authorize(author, 'send', conversation);
    // Still untitled at its first message: the conversation is named after what was asked, as a list of them
    // all called "New conversation" tells nothing apart. (Counted before this message is added.)
    const untitled =
      conversation.title === DEFAULT_TITLE && (await em.count(Message, { conversation })) === 0;
    const now = new Date();
    const row = em.create(Message, {
      id: randomUUID(), // known before the insert, so rows `alongside` may refer to it
      conversation,
      role: 'USER',
      text: body,
      authorId: author.id,
      createdAt: now,
    });
    conversation.updatedAt = now;
    if (untitled) conversation.title = titleFromQuestion(body);
    await alongside?.(em, conversation, row);
    await em.flush();
    const view = toMessageView(row);
    const payload: MessageView = { ...view, createdAt: now.toISOString() };
    const created = eventFrom(scope, EventTypes.chatMessageCreated, payload);
    enqueueEvent(em, Topics.chat.messageAdded(conversationId), created);
    // Also on the fixed topic for platform-wide listeners (Beeacon's history); the outbox wants its own id.
    enqueueEvent(em, Topics.chat.messageCreated, { ...created, id: randomUUID() });
    return view;
  });
  return message;
}

export interface MessagesArgs {
  first?: number | null;
  last?: number | null;
  before?: string | null;
}

/** A page of the conversation's messages, oldest first (see `Conversation.messages`). */
export async function listMessages(
  scope: ChatScope,
  conversation: ConversationView,
  args: MessagesArgs,
): Promise<MessageView[]> {
  const page = messagesPage(args);
  let before: string | null = null;
  if (args.before != null) {
    const mark = isId(args.before) ? await scope.loaders.message.load(args.before) : null;
    if (mark?.conversation.id !== conversation.id)
      throw new BadUserInputError('before is not a message of this conversation', 'before');
    before = mark.id;
  }
  const rows = await scope.loaders.messages.load({ conversationId: conversation.id, ...page, before });
  return rows.map(toMessageView);
}

/** A message resolved by reference: readable by whoever may read its conversation; hidden (null) otherwise. */
export async function findMessage(scope: ChatScope, id: string): Promise<MessageView | null> {
  const row = isId(id) ? await scope.loaders.message.load(id) : null;
  if (!row) return null;
  const conversation = await scope.loaders.conversation.load(row.conversation.id);
  if (!conversation || !mayRead(scope.viewer, conversation)) return null;
  return toMessageView(row);
}

/**
 * Opens the live feed of a conversation's new messages once the viewer is allowed to read it. The returned
 * bus subscription is the iterator itself, so closing the GraphQL subscription frees the bus listener.
 */
export async function subscribeToMessages(scope: ChatScope, conversationId: string) {
  requireViewer(scope.viewer);
  const conversation = isId(conversationId) ? await scope.loaders.conversation.load(conversationId) : null;
  if (!conversation) throw new NotFoundError('Conversation', conversationId);
  authorize(scope.viewer, 'read', conversation);
  return payloadFeed(await scope.bus.subscribe<MessageView>(Topics.chat.messageAdded(conversationId)));
}
