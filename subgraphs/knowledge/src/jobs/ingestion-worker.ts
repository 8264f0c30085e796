// Runs the ingestion jobs in this process: the queue's workers call ingestDocument with the runtime's blob store,
// SEARCH's chunk index and embedder.
import type { SubgraphRuntime } from '@sting/kit';
import { closeDocumentServices, documentServices } from '../domain/documents/services.ts';
import { searchServices } from '../domain/search/services.ts';
import { ingestDocument, type IngestDeps } from './ingest-document.ts';

export async function startIngestionWorker(runtime: SubgraphRuntime): Promise<void> {
  const documents = await documentServices(runtime);
  const search = await searchServices(runtime);
  const deps: IngestDeps = {
    newEntityManager: documents.newEntityManager,
    bus: runtime.bus,
    blobs: documents.blobs,
    index: search.chunkIndex,
    embedder: search.embedder,
    logger: runtime.logger,
    extraction: documents.settings.extraction,
  };
  const { retryLimit, concurrency } = documents.settings.jobs;
  // 0: this process only queues jobs; separate workers (worker-main.ts) run them.
  if (concurrency > 0) {
    await documents.queue.work((data, signal, retryCount) =>
      ingestDocument(deps, data, signal, { last: retryCount >= retryLimit }),
    );
  } else {
    await documents.queue.start();
  }
  // The runtime has no stop hook of its own; every host closes the ORM last, so the queue stops just before.
  const close = runtime.orm.close.bind(runtime.orm);
  runtime.orm.close = async (force?: boolean) => {
    await closeDocumentServices(runtime);
    return close(force);
  };
}
