// The knowledge subgraph: document chunks and the counts they contribute to honey jars.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'graphql';
import type { SubgraphModule, SubgraphRuntime } from '@sting/kit';
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

export const subgraph: SubgraphModule<KnowledgeLoaders> = {
  name: 'knowledge',
  dbSchema: 'knowledge',
  typeDefs: parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8')),
  resolvers,
  entities,
  migrationsPath: fileURLToPath(new URL('../migrations', import.meta.url)),
  createLoaders,
  onStart,
};
