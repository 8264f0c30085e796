// The chat subgraph under test: kit's test runtime for this module, and factories writing conversations and
// messages straight to its database.
import {
  createTestBus,
  startTestRuntime,
  type EventBus,
  type SubgraphRuntime,
  type TestRuntime,
  type Viewer,
} from '@sting/kit';
import { beeFor } from '../src/domain/bee/bee.ts';
import { subgraph } from '../src/index.ts';
import {
  Conversation,
  Message,
  type ConversationRow,
  type MessageRow,
} from '../src/entities/conversation.ts';

export { createTestBus as createBus, buildTestViewer as buildViewer } from '@sting/kit';

export type ChatHarness = TestRuntime;

/** Closing waits for Bee's answers still being written, so none writes into a dropped schema. */
export async function startChat(bus: EventBus = createTestBus('in-process')): Promise<ChatHarness> {
  const harness = await startTestRuntime(subgraph, { bus });
  return {
    ...harness,
    async close() {
      await beeFor(harness.runtime).close();
      await harness.close();
    },
  };
}

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
