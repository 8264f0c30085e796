// The knowledge subgraph: document chunks, the keyword and vector index over them, permission-filtered search,
// and knowledge's own read model of who may read each honey jar.
import { defineSubgraph, type SubgraphRuntime } from '@sting/kit';
import { reindexStaleJars } from './domain/search/reindex.ts';
import { searchServices } from './domain/search/services.ts';
import { followJarAccess } from './domain/jar-access/follow.ts';
import { deleteDocumentsOfJar } from './domain/documents/documents.ts';
import { startIngestionWorker } from './jobs/ingestion-worker.ts';
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
    onJarDeleted: async (honeyJarId) => {
      // The jar's chunks and its Chroma collections; then its documents and their blobs.
      await (await searchServices(runtime)).chunkIndex.removeJar(honeyJarId);
      await deleteDocumentsOfJar(runtime, newEntityManager(), honeyJarId);
    },
  });
  runtime.stopHooks.push(stopFollowing);
  await startIngestionWorker(runtime);
  startStagingSweep(runtime);
  // A changed embedding model: stale jars are re-indexed in the background; search uses their old index meanwhile.
  const search = await searchServices(runtime);
  void reindexStaleJars(newEntityManager, search.vectors, search.embedder, runtime.logger);
}

export const subgraph = defineSubgraph<KnowledgeLoaders>(import.meta.url, {
  name: 'knowledge',
  dbSchema: 'knowledge',
  resolvers,
  entities,
  createLoaders,
  onStart,
});
