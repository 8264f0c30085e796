// A deleted person's conversations go with them (identity's `user.deleted`): any answer Bee is still writing in
// them stops first, then the messages and conversations are deleted. Applying one event twice changes nothing.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SubgraphRuntime } from '@sting/kit';
import { Conversation, Message } from '../entities/conversation.ts';
import { beeFor } from './bee/bee.ts';

/** Deletes every conversation `userId` owns; answers how many went. */
export async function deleteConversationsOf(
  em: EntityManager,
  runtime: SubgraphRuntime,
  userId: string,
): Promise<number> {
  const conversations = await em.find(Conversation, { ownerId: userId }, { fields: ['id'] });
  if (conversations.length === 0) return 0;
  const ids = conversations.map((c) => c.id);
  const writing = await em.find(
    Message,
    { conversation: { $in: ids }, status: 'STREAMING' },
    { fields: ['id', 'generation'] },
  );
  if (writing.length) {
    const bee = beeFor(runtime);
    for (const answer of writing) await bee.stop(answer.id, answer.generation);
  }
  return em.transactional(async (tx) => {
    await tx.nativeDelete(Message, { conversation: { $in: ids } });
    return tx.nativeDelete(Conversation, { id: { $in: ids } });
  });
}
