// The chat subgraph as the runtime hosts it: conversations with Bee, their messages and the live message feed.
import { defineSubgraph, followTopic, isUserDeletedEvent, Topics, type SubgraphRuntime } from '@sting/kit';
import { sweepAbandonedAnswers } from './domain/bee/abandoned.ts';
import { deleteConversationsOf } from './domain/deleted-people.ts';
import { entities } from './entities/index.ts';
import { createChatLoaders, type ChatLoaders } from './loaders.ts';
import { resolvers } from './resolvers/index.ts';

async function onStart(runtime: SubgraphRuntime): Promise<void> {
  // A deleted person's conversations go with them (identity's user.deleted): consumed as the group `chat`, so
  // one replica handles each deletion, also one announced while no chat service ran. Deleting again deletes nothing.
  const stop = await followTopic(
    runtime.bus,
    Topics.identity.userDeleted,
    async (event) => {
      if (!isUserDeletedEvent(event.payload)) return;
      const em = runtime.orm.em.fork({ clear: true, useContext: false });
      const deleted = await deleteConversationsOf(em, runtime, event.payload.userId);
      runtime.logger.info(
        { userId: event.payload.userId, deleted },
        'deleted person’s conversations removed',
      );
    },
    runtime.logger,
    { group: 'chat' },
  );
  runtime.stopHooks.push(stop);
  // Answers left STREAMING by a process that stopped mid-answer end as FAILED (INTERRUPTED) once their lease runs
  // out, found by a sweep at start and every half lease after.
  runtime.stopHooks.push(sweepAbandonedAnswers(runtime));
}

export const subgraph = defineSubgraph<ChatLoaders>(import.meta.url, {
  name: 'chat',
  dbSchema: 'chat',
  resolvers,
  entities,
  createLoaders: (em) => createChatLoaders(em),
  onStart,
});
