// The long-lived parts documents need in one runtime: the blob store and the settings (the ingestion queue is in
// jobs/queues.ts). Created once per runtime, lazily, so a subgraph test that never uploads opens nothing.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { StingConfig, SubgraphRuntime } from '@sting/kit';
import { resolve } from 'node:path';
import { BlobStore } from '../../storage/blob-store.ts';
import { resolveBlobKey } from '../../storage/blob-key.ts';
import { closeKnowledgeJobs } from '../../jobs/queues.ts';
import { documentSettings, type DocumentSettings } from './settings.ts';

export interface DocumentServices {
  settings: DocumentSettings;
  blobs: BlobStore;
  newEntityManager(): EntityManager;
}

const byRuntime = new WeakMap<SubgraphRuntime, Promise<DocumentServices>>();

export function documentServices(runtime: SubgraphRuntime): Promise<DocumentServices> {
  let services = byRuntime.get(runtime);
  if (!services) {
    services = (async () => {
      const settings = documentSettings(runtime.config);
      const config = runtime.config as Partial<StingConfig> | undefined;
      const key = await resolveBlobKey(config as StingConfig);
      const blobs = new BlobStore(resolve(config?.root ?? process.cwd(), settings.storageDir), key);
      return {
        settings,
        blobs,
        newEntityManager: () => runtime.orm.em.fork({ clear: true, useContext: false }) as EntityManager,
      };
    })();
    byRuntime.set(runtime, services);
  }
  return services;
}

/** Stops the job queues' workers and polling (pending jobs stay in PostgreSQL for the next start). */
export async function closeDocumentServices(runtime: SubgraphRuntime): Promise<void> {
  byRuntime.delete(runtime);
  await closeKnowledgeJobs(runtime);
}
