// Keeps knowledge's jar-access read model current from honey-jars' events, and catches up on start: knowledge
// asks for a snapshot and honey-jars (which also sends one when it starts) pages every jar with its members onto
// the bus. So jars made before knowledge existed, or changed while it was down, are known without any subgraph
// reading another's tables, in either topology (one process or many), and without a stored event log.
import type { EntityManager } from '@mikro-orm/postgresql';
import { createEvent, Topics, type EventBus, type EventType } from '@sting/kit';
import { announceAccessChange } from '../documents/status.ts';
import type { Logger } from 'pino';
import {
  applyJarDeletion,
  applyJarState,
  applyMembership,
  applySnapshotPage,
  finishSnapshot,
  type JarSnapshotEntry,
  type JarState,
} from './read-model.ts';

/** What knowledge follows (honey-jars publishes them) and the topic it asks for a snapshot on. */
export const JarAccessTopics = Topics.honeyJar;

interface JarEvent {
  honeyJarId?: string;
  userId?: string;
  at?: string;
  jar?: JarState;
}

interface SnapshotPage {
  syncId: string;
  takenAt: string;
  jars: JarSnapshotEntry[];
  last: boolean;
  /** On the last page: how many jars the whole snapshot listed. */
  total?: number;
}

export interface FollowOptions {
  bus: EventBus;
  newEntityManager: () => EntityManager;
  logger: Logger;
  /** Runs after a jar's deletion is recorded (knowledge drops the jar's chunks and vectors). */
  onJarDeleted?: (honeyJarId: string) => Promise<void>;
}

/**
 * Follows every jar-access topic, then asks honey-jars for a snapshot. Resolves once the subscriptions are live;
 * the returned function stops following. Events are applied one at a time, in arrival order.
 */
export async function followJarAccess(options: FollowOptions): Promise<() => Promise<void>> {
  const { bus, newEntityManager, logger } = options;
  let queue = Promise.resolve();
  const handle = (topic: string, payload: unknown) => {
    queue = queue
      .then(() => apply(topic, payload, newEntityManager(), options))
      .then(() => announce(topic, payload, bus))
      .catch((err) => logger.error({ err, topic }, 'applying a honey jar access event failed'));
  };
  const topics: string[] = Object.values(JarAccessTopics).filter(
    (t) => t !== JarAccessTopics.snapshotRequested,
  );
  const subscriptions = await Promise.all(topics.map((topic) => bus.subscribe<unknown>(topic)));
  const loops = subscriptions.map(async (events, i) => {
    for await (const event of events) handle(topics[i], event.payload);
  });
  const request = createEvent(JarAccessTopics.snapshotRequested, {}, { source: 'knowledge' });
  await bus.publish(JarAccessTopics.snapshotRequested, request);
  return async () => {
    await Promise.all(subscriptions.map((s) => s.return()));
    await Promise.all(loops);
    await queue;
  };
}

/** Changes that can take access away, told to the jar's open document feeds once the read model holds them. */
const NARROWING: ReadonlySet<string> = new Set([
  JarAccessTopics.updated,
  JarAccessTopics.memberRemoved,
  JarAccessTopics.deleted,
]);

async function announce(topic: string, event: unknown, bus: EventBus): Promise<void> {
  const { honeyJarId } = event as JarEvent;
  if (NARROWING.has(topic) && typeof honeyJarId === 'string')
    await announceAccessChange(bus, topic as EventType, honeyJarId);
}

async function apply(
  topic: string,
  event: unknown,
  em: EntityManager,
  options: FollowOptions,
): Promise<void> {
  if (topic === JarAccessTopics.snapshot) {
    const page = event as SnapshotPage;
    const revived = await applySnapshotPage(em, page.syncId, page.takenAt, page.jars ?? []);
    for (const id of revived)
      options.logger.warn(
        { honeyJarId: id },
        'a honey jar taken for deleted is listed by honey-jars again: its access is restored (its documents are not)',
      );
    if (page.last) {
      const { gone, complete } = await finishSnapshot(em, page.syncId, page.takenAt, page.total);
      if (!complete)
        options.logger.warn(
          { syncId: page.syncId, total: page.total },
          'a honey jar access snapshot arrived incomplete; no jar is taken for deleted until a whole one arrives',
        );
      for (const id of gone) {
        options.logger.info(
          { honeyJarId: id },
          'honey jar missing from the access snapshot: access and index removed',
        );
        await options.onJarDeleted?.(id);
        await announceAccessChange(options.bus, JarAccessTopics.deleted, id);
      }
    }
    return;
  }
  const { honeyJarId, userId, at = new Date().toISOString(), jar } = event as JarEvent;
  if (typeof honeyJarId !== 'string') return;
  switch (topic) {
    case JarAccessTopics.created:
    case JarAccessTopics.updated:
      if (jar) await applyJarState(em, { ...jar, honeyJarId });
      return;
    case JarAccessTopics.memberAdded:
    case JarAccessTopics.memberRemoved:
      if (typeof userId === 'string') {
        await applyMembership(em, honeyJarId, userId, topic === JarAccessTopics.memberAdded, at);
      }
      if (jar) await applyJarState(em, { ...jar, honeyJarId });
      return;
    case JarAccessTopics.deleted:
      await applyJarDeletion(em, honeyJarId, at);
      await options.onJarDeleted?.(honeyJarId);
      options.logger.info({ honeyJarId }, 'honey jar deleted: access and index removed');
      return;
  }
}
