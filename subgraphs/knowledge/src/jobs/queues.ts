// Knowledge's two durable job queues, over one pg-boss store per runtime (schema `<subgraph schema>_jobs`):
// ingestion, one job per document version, and re-indexing, one job per jar and embedding model whenever the
// configured model differs from the one that built the jar's vectors. Both follow `knowledge.jobs`.
import type { SubgraphRuntime } from '@sting/kit';
import { PlatformGauges } from '@sting/kit/metrics/platform-metrics.ts';
import { documentSettings } from '../domain/documents/settings.ts';
import { JobQueue, JobStore, type JobSettings, type Traced } from './job-queue.ts';

export const INGEST_QUEUE = 'knowledge-ingest';
export const REINDEX_QUEUE = 'knowledge-reindex';

export interface IngestJobData extends Traced {
  documentId: string;
  version: number;
}

export interface ReindexJobData extends Traced {
  honeyJarId: string;
  /** The embedding model the jar is re-indexed with (`modelKey`). */
  model: string;
}

export interface KnowledgeJobs {
  settings: JobSettings;
  ingest: JobQueue<IngestJobData>;
  reindex: JobQueue<ReindexJobData>;
  stop(): Promise<void>;
}

function databaseUrlOf(runtime: SubgraphRuntime): string {
  const configured = (runtime.config as { database?: { url?: string } } | undefined)?.database?.url;
  if (configured) return configured;
  const options = runtime.orm.config.get('clientUrl');
  if (!options) throw new Error('knowledge needs database.url for its job queues');
  return options;
}

const byRuntime = new WeakMap<SubgraphRuntime, KnowledgeJobs>();

/** The runtime's queues, made on first use (nothing connects until a queue is used). */
export function knowledgeJobs(runtime: SubgraphRuntime): KnowledgeJobs {
  let jobs = byRuntime.get(runtime);
  if (!jobs) {
    const settings = documentSettings(runtime.config).jobs;
    const store = new JobStore({
      connectionString: databaseUrlOf(runtime),
      schema: `${runtime.orm.config.get('schema')}_jobs`,
      ...settings,
      // `concurrency` ingestions and one re-index at a time, and one connection for polling and upkeep.
      poolSize: settings.concurrency + 2,
      logger: runtime.logger,
    });
    jobs = {
      settings,
      ingest: new JobQueue<IngestJobData>(store, {
        name: INGEST_QUEUE,
        span: 'ingest document',
        spanAttributes: (data) => ({ 'sting.document.id': data.documentId }),
        depth: PlatformGauges.ingestionQueue,
      }),
      reindex: new JobQueue<ReindexJobData>(store, {
        name: REINDEX_QUEUE,
        span: 'reindex honey jar',
        spanAttributes: (data) => ({
          'sting.honey_jar.id': data.honeyJarId,
          'sting.embedding.model': data.model,
        }),
        long: true,
        // Several replicas starting, or restarts, never queue the same re-index twice while one is open.
        key: (data) => `${data.honeyJarId} ${data.model}`,
      }),
      stop: () => store.stop(),
    };
    byRuntime.set(runtime, jobs);
  }
  return jobs;
}

/** Stops the queues' workers and polling (pending jobs stay in PostgreSQL for the next start). */
export async function closeKnowledgeJobs(runtime: SubgraphRuntime): Promise<void> {
  const jobs = byRuntime.get(runtime);
  if (!jobs) return;
  byRuntime.delete(runtime);
  await jobs.stop();
}
