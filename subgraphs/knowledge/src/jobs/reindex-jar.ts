// Re-indexing through durable jobs: at start, one job per jar whose vectors another model made, or whose
// collection is not mirrored in the model's shared one yet (deduplicated by jar and model, so replicas starting
// together or restarts never queue one twice while it is open); a worker runs reindexJar for it. A failed attempt is retried with backoff while search keeps the old index; a jar
// deleted meanwhile, or already served by the model, ends the job as a no-op.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Embedder } from '@sting/llm';
import { reindexJar, staleJars } from '../domain/search/reindex.ts';
import { modelKey, type JarVectors } from '../domain/search/vectors.ts';
import type { Attempt, JobQueue } from './job-queue.ts';
import type { ReindexJobData } from './queues.ts';

export interface ReindexDeps {
  newEntityManager(): EntityManager;
  vectors: JarVectors;
  /** The configured embedder: the model jars are re-indexed with. */
  embedder: Embedder;
  logger: Logger;
}

/**
 * Queues a re-index of every jar served by another model than the configured one, or not mirrored in the shared
 * collection; returns how many were new.
 */
export async function queueStaleJars(
  em: EntityManager,
  queue: JobQueue<ReindexJobData>,
  embedder: Embedder,
): Promise<number> {
  let queued = 0;
  for (const honeyJarId of await staleJars(em, embedder)) {
    if (await queue.enqueue({ honeyJarId, model: modelKey(embedder) })) queued++;
  }
  return queued;
}

export async function reindexJarJob(
  deps: ReindexDeps,
  job: ReindexJobData,
  signal: AbortSignal,
  attempt: Attempt,
): Promise<void> {
  const { honeyJarId, model } = job;
  try {
    // Queued by a process configured with another model (a rolling change): left to a worker that has it.
    if (model !== modelKey(deps.embedder))
      throw new Error(`this worker embeds with ${modelKey(deps.embedder)}, not ${model}`);
    const outcome = await reindexJar(
      deps.newEntityManager(),
      deps.vectors,
      deps.embedder,
      honeyJarId,
      signal,
    );
    deps.logger.info({ honeyJarId, model, ...outcome }, 'honey jar re-indexing ended');
  } catch (err) {
    deps.logger[attempt.last ? 'error' : 'warn'](
      { err, honeyJarId, model },
      attempt.last
        ? 're-indexing a honey jar failed for good; search keeps its previous index until the next start'
        : 're-indexing a honey jar failed; search keeps its previous index and the job is retried',
    );
    throw err;
  }
}
