// Conversations and messages written straight to the chat subgraph's database, for tests.
import type { SubgraphRuntime, Viewer } from '@sting/kit';
import { Conversation, Message, type ConversationRow, type MessageRow } from '../src/entities/index.ts';

/** A stored conversation, written straight to the database. */
export async function buildConversation(
  runtime: SubgraphRuntime,
  owner: Viewer,
  title = 'Hive census',
): Promise<ConversationRow> {
  if (owner.kind !== 'user') throw new Error('a conversation is owned by a user');
  const em = runtime.orm.em.fork();
  const row = em.create(Conversation, { title, ownerId: owner.id });
  await em.flush();
  return row;
}

export async function buildMessage(
  runtime: SubgraphRuntime,
  conversation: ConversationRow,
  text: string,
  createdAt = new Date(),
): Promise<MessageRow> {
  const em = runtime.orm.em.fork();
  const row = em.create(Message, {
    conversation: em.getReference(Conversation, conversation.id),
    role: 'USER',
    text,
    authorId: conversation.ownerId,
    createdAt,
  });
  await em.flush();
  return row;
}
