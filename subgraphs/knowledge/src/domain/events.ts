// Events knowledge reacts to. When honey-jars deletes a jar, the jar's chunks go too: no subgraph reads another's
// tables, so the bus is how the deletion crosses over.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Topics, type EventBus } from '@sting/kit';
import type { Logger } from 'pino';
import { Chunk } from '../entities/chunk.ts';

/** Published by honey-jars (through its outbox) once the jar's deletion has committed. */
export const HONEY_JAR_DELETED = Topics.honeyJar.deleted;

export async function deleteChunksOfJar(em: EntityManager, honeyJarId: string): Promise<number> {
  return em.nativeDelete(Chunk, { honeyJarId });
}

/**
 * Deletes a jar's chunks whenever honey-jars reports the jar deleted. Resolves once the subscription is live;
 * the returned function stops following. Idempotent, so every replica may handle the same event.
 */
export async function followJarDeletions(
  bus: EventBus,
  newEntityManager: () => EntityManager,
  logger: Logger,
): Promise<() => Promise<void>> {
  const events = await bus.subscribe<{ honeyJarId?: unknown }>(HONEY_JAR_DELETED);
  const done = (async () => {
    for await (const { payload: event } of events) {
      if (typeof event?.honeyJarId !== 'string') continue;
      try {
        const removed = await deleteChunksOfJar(newEntityManager(), event.honeyJarId);
        logger.info({ honeyJarId: event.honeyJarId, removed }, 'chunks of deleted honey jar removed');
      } catch (err) {
        logger.error({ err, honeyJarId: event.honeyJarId }, 'removing chunks of a deleted honey jar failed');
      }
    }
  })();
  return async () => {
    await events.return();
    await done;
  };
}
