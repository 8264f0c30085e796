// The knowledge subgraph: document chunks, the keyword and vector index over them, permission-filtered search,
// and knowledge's own read model of who may read each honey jar.
import { defineSubgraph, type SubgraphRuntime } from '@sting/kit';
import { followJarAccess } from './domain/jar-access/follow.ts';
import { removeJarContents } from './domain/documents/documents.ts';
import { startJobWorkers } from './jobs/job-workers.ts';
import { startStagingSweep } from './domain/documents/staging-sweep.ts';
import { entities } from './entities/index.ts';
import { createLoaders, type KnowledgeLoaders } from './loaders.ts';
import { resolvers } from './resolvers/index.ts';

async function onStart(runtime: SubgraphRuntime): Promise<void> {
  const newEntityManager = () => runtime.orm.em.fork({ clear: true, useContext: false });
  // Stopped before the ORM closes, so no access event is applied to a closed database.
  const stopFollowing = await followJarAccess({
    bus: runtime.bus,
    newEntityManager,
    logger: runtime.logger,
    onJarDeleted: (honeyJarId) => removeJarContents(runtime, newEntityManager(), honeyJarId),
  });
  runtime.stopHooks.push(stopFollowing);
  // Ingestion, and the re-index of jars a change of embedding model left stale (their old index serves meanwhile).
  await startJobWorkers(runtime);
  startStagingSweep(runtime);
}

export const subgraph = defineSubgraph<KnowledgeLoaders>(import.meta.url, {
  name: 'knowledge',
  dbSchema: 'knowledge',
  resolvers,
  entities,
  createLoaders,
  onStart,
});
