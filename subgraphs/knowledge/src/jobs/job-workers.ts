// Runs knowledge's jobs in this process: the ingestion queue's workers call ingestDocument with the runtime's
// blob store, SEARCH's chunk index and embedder; the re-index queue's worker rebuilds one jar's vectors at a
// time. Every process starting these (platform or worker) also queues the re-index of jars left stale by a
// change of embedding model (pg-boss keeps one open job per jar and model however many do), drops the
// collections such re-indexing retired, and reads the case of the words of chunks stored before it was kept
// (written-case.ts).
import type { SubgraphRuntime } from '@sting/kit';
import { closeDocumentServices, documentServices } from '../domain/documents/services.ts';
import { searchServices } from '../domain/search/services.ts';
import { fillWrittenCase } from '../domain/search/written-case.ts';
import { ingestDocument, type IngestDeps } from './ingest-document.ts';
import { knowledgeJobs } from './queues.ts';
import { queueStaleJars, reindexJarJob, type ReindexDeps } from './reindex-jar.ts';

export async function startJobWorkers(runtime: SubgraphRuntime): Promise<void> {
  const documents = await documentServices(runtime);
  const search = await searchServices(runtime);
  const jobs = knowledgeJobs(runtime);
  const ingestDeps: IngestDeps = {
    newEntityManager: documents.newEntityManager,
    blobs: documents.blobs,
    index: search.chunkIndex,
    embedder: search.embedder,
    logger: runtime.logger,
    extraction: documents.settings.extraction,
  };
  const reindexDeps: ReindexDeps = {
    newEntityManager: documents.newEntityManager,
    vectors: search.vectors,
    embedder: search.embedder,
    logger: runtime.logger,
  };
  const { retryLimit, concurrency } = jobs.settings;
  // 0: this process only queues jobs; separate workers (worker-main.ts) run them.
  if (concurrency > 0) {
    await jobs.ingest.work(
      (data, signal, retryCount) =>
        ingestDocument(ingestDeps, data, signal, { last: retryCount >= retryLimit }),
      concurrency,
    );
    // One jar at a time: a re-index embeds a whole jar, beside the documents being ingested.
    await jobs.reindex.work(
      (data, signal, retryCount) =>
        reindexJarJob(reindexDeps, data, signal, { last: retryCount >= retryLimit }),
      1,
    );
  } else {
    await Promise.all([jobs.ingest.start(), jobs.reindex.start()]);
  }
  // The queues stop just before the ORM closes, which every host does last.
  const close = runtime.orm.close.bind(runtime.orm);
  runtime.orm.close = async (force?: boolean) => {
    search.vectors.close();
    await closeDocumentServices(runtime);
    return close(force);
  };
  // A changed embedding model: search uses the stale jars' old collections until their jobs have run.
  void queueStaleJars(documents.newEntityManager(), jobs.reindex, search.embedder).then(
    (queued) => {
      if (queued > 0)
        runtime.logger.info(
          { queued },
          'honey jars queued for re-indexing (a new model, or a collection to mirror)',
        );
    },
    (err) => runtime.logger.error({ err }, 'queueing the re-index of stale honey jars failed'),
  );
  // Collections a re-index replaced, left behind by a process that stopped before their grace was over.
  void search.vectors
    .reclaimRetired(documents.newEntityManager())
    .catch((err: unknown) =>
      runtime.logger.error({ err }, 'dropping Chroma collections that stopped serving failed'),
    );
  // Chunks stored before the case of their words was kept beside them are read once (written-case.ts).
  void fillWrittenCase(documents.newEntityManager).then(
    (filled) => {
      if (filled > 0) runtime.logger.info({ filled }, 'stored chunks read for the case of their words');
    },
    (err) => runtime.logger.error({ err }, 'reading the case of stored chunks failed'),
  );
}
