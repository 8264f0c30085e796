// The long-lived parts documents need in one runtime: the blob store, the ingestion queue and the document
// index. Created once per runtime (lazily, so a subgraph test that never uploads opens nothing) and closed with it.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { StingConfig, SubgraphRuntime } from '@sting/kit';
import { resolve } from 'node:path';
import { BlobStore } from '../../storage/blob-store.ts';
import { resolveBlobKey } from '../../storage/blob-key.ts';
import { IngestionQueue } from '../../jobs/ingestion-queue.ts';
import { documentSettings, type DocumentSettings } from './settings.ts';

export interface DocumentServices {
  settings: DocumentSettings;
  blobs: BlobStore;
  queue: IngestionQueue;
  newEntityManager(): EntityManager;
}

const byRuntime = new WeakMap<SubgraphRuntime, Promise<DocumentServices>>();

function databaseUrlOf(runtime: SubgraphRuntime): string {
  const configured = (runtime.config as { database?: { url?: string } } | undefined)?.database?.url;
  if (configured) return configured;
  const options = runtime.orm.config.get('clientUrl');
  if (!options) throw new Error('knowledge needs database.url for its ingestion queue');
  return options;
}

export function documentServices(runtime: SubgraphRuntime): Promise<DocumentServices> {
  let services = byRuntime.get(runtime);
  if (!services) {
    services = (async () => {
      const settings = documentSettings(runtime.config);
      const config = runtime.config as Partial<StingConfig> | undefined;
      const key = await resolveBlobKey(config as StingConfig);
      const blobs = new BlobStore(resolve(config?.root ?? process.cwd(), settings.storageDir), key);
      const queue = new IngestionQueue({
        connectionString: databaseUrlOf(runtime),
        schema: `${runtime.orm.config.get('schema')}_jobs`,
        ...settings.jobs,
        logger: runtime.logger,
      });
      return {
        settings,
        blobs,
        queue,
        newEntityManager: () => runtime.orm.em.fork({ clear: true, useContext: false }) as EntityManager,
      };
    })();
    byRuntime.set(runtime, services);
  }
  return services;
}

/** Stops the queue's workers and polling (pending jobs stay in PostgreSQL for the next start). */
export async function closeDocumentServices(runtime: SubgraphRuntime): Promise<void> {
  const services = byRuntime.get(runtime);
  if (!services) return;
  byRuntime.delete(runtime);
  await (await services).queue.stop();
}
