// Every jar's access facts with its members, paged onto the bus: how a subgraph that keeps a read model of jar
// access (knowledge) learns of jars made before it existed or changed while it was down. Sent when honey-jars
// starts and whenever a reader asks, so whichever of the two starts last triggers the catch-up.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createEvent, Topics, type EventBus } from '@sting/kit';
import type { Logger } from 'pino';
import { HoneyJar } from '../entities/honey-jar.ts';
import { HoneyJarMember } from '../entities/honey-jar-member.ts';
import { accessState, type HoneyJarAccessState } from './events.ts';

const PAGE = 200;

export interface AccessSnapshotPage {
  syncId: string;
  /** Taken before the first read: a change committed later carries a later time and wins over this page. */
  takenAt: string;
  jars: (HoneyJarAccessState & { honeyJarId: string; memberIds: string[] })[];
  /** The last page: jars a reader knows that were not listed no longer exist. */
  last: boolean;
  /** On the last page: how many jars all the pages listed, so a reader that lost a page on the way can tell. */
  total?: number;
}

export async function publishAccessSnapshot(em: EntityManager, bus: EventBus): Promise<number> {
  const syncId = randomUUID();
  const takenAt = new Date().toISOString();
  let after: string | null = null;
  let sent = 0;
  for (;;) {
    const jars: HoneyJar[] = await em.find(HoneyJar, after ? { id: { $gt: after } } : {}, {
      orderBy: { id: 'asc' },
      limit: PAGE,
    });
    const members = jars.length
      ? await em.find(
          HoneyJarMember,
          { honeyJar: { $in: jars.map((j) => j.id) } },
          { fields: ['honeyJar', 'userId'] },
        )
      : [];
    const last = jars.length < PAGE;
    const page: AccessSnapshotPage = {
      syncId,
      takenAt,
      last,
      ...(last ? { total: sent + jars.length } : {}),
      jars: jars.map((jar) => ({
        honeyJarId: jar.id,
        ...accessState(jar),
        memberIds: members.filter((m) => m.honeyJar.id === jar.id).map((m) => m.userId),
      })),
    };
    await bus.publish(
      Topics.honeyJar.snapshot,
      createEvent(Topics.honeyJar.snapshot, page, { source: 'honey-jars' }),
    );
    sent += jars.length;
    em.clear();
    if (last) return sent;
    after = jars[jars.length - 1].id;
  }
}

/** Sends a snapshot now and on every request; the returned function stops answering requests. */
export async function serveAccessSnapshots(
  bus: EventBus,
  newEntityManager: () => EntityManager,
  logger: Logger,
): Promise<() => Promise<void>> {
  const requests = await bus.subscribe<unknown>(Topics.honeyJar.snapshotRequested);
  const send = () =>
    publishAccessSnapshot(newEntityManager(), bus).then(
      (jars) => logger.debug({ jars }, 'honey jar access snapshot sent'),
      (err) => logger.error({ err }, 'sending the honey jar access snapshot failed'),
    );
  let sending = send();
  const loop = (async () => {
    for await (const _request of requests) sending = sending.then(send);
  })();
  return async () => {
    await requests.return();
    await loop;
    await sending;
  };
}
