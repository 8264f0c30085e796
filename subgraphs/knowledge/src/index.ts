// The knowledge subgraph: document chunks and the counts they contribute to honey jars.
import { defineSubgraph, type SubgraphRuntime } from '@sting/kit';
import { followJarDeletions } from './domain/events.ts';
import { entities } from './entities/index.ts';
import { createLoaders, type KnowledgeLoaders } from './loaders.ts';
import { resolvers } from './resolvers/index.ts';

async function onStart(runtime: SubgraphRuntime): Promise<void> {
  // Lives as long as the bus: closing the bus ends the subscription.
  await followJarDeletions(
    runtime.bus,
    () => runtime.orm.em.fork({ clear: true, useContext: false }),
    runtime.logger,
  );
}

export const subgraph = defineSubgraph<KnowledgeLoaders>(import.meta.url, {
  name: 'knowledge',
  dbSchema: 'knowledge',
  resolvers,
  entities,
  createLoaders,
  onStart,
});
