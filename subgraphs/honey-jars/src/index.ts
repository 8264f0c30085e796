// The honey-jars subgraph: knowledge bases and who may read them (their documents live in knowledge).
import { defineSubgraph, type SubgraphRuntime } from '@sting/kit';
import { serveAccessSnapshots } from './domain/access-snapshot.ts';
import { entities } from './entities/index.ts';
import { createLoaders, type HoneyJarLoaders } from './loaders.ts';
import { resolvers } from './resolvers/index.ts';

async function onStart(runtime: SubgraphRuntime): Promise<void> {
  // Lives as long as the bus: readers of jar access (knowledge) catch up from these snapshots.
  await serveAccessSnapshots(
    runtime.bus,
    () => runtime.orm.em.fork({ clear: true, useContext: false }),
    runtime.logger,
  );
}

export const subgraph = defineSubgraph<HoneyJarLoaders>(import.meta.url, {
  name: 'honey-jars',
  dbSchema: 'honey_jars',
  resolvers,
  entities,
  createLoaders,
  onStart,
});
