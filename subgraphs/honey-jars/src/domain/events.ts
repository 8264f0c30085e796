// What the honey-jars subgraph tells the rest of the platform: events written to its outbox with each change
// and relayed to the bus after the commit. Events that change who may read a jar carry the jar's access facts
// (owner, type, status) so that knowledge's read model of jar access needs no call back.
import { createEvent, enqueueEvent, Topics } from '@sting/kit';
import type { Actor } from './access.ts';
import type { HoneyJar } from '../entities/honey-jar.ts';

/** The topics honey-jars publishes on (kit's registry). */
export const HoneyJarTopics = Topics.honeyJar;

/** A jar's access facts as other subgraphs keep them; `updatedAt` orders states of the same jar. */
export interface HoneyJarAccessState {
  ownerId: string;
  type: HoneyJar['type'];
  status: HoneyJar['status'];
  name: string;
  redactPiiOnIngest: boolean;
  updatedAt: string;
}

export interface HoneyJarEvent {
  honeyJarId: string;
  actorId: string | null;
  at: string;
  /** The jar's state after the change (absent on deletion). */
  jar?: HoneyJarAccessState;
  /** The member added or removed. */
  userId?: string;
}

export function accessState(jar: HoneyJar): HoneyJarAccessState {
  return {
    ownerId: jar.ownerId,
    type: jar.type,
    status: jar.status,
    name: jar.name,
    redactPiiOnIngest: jar.redactPiiOnIngest,
    updatedAt: jar.updatedAt.toISOString(),
  };
}

type HoneyJarTopic = Exclude<
  (typeof HoneyJarTopics)[keyof typeof HoneyJarTopics],
  typeof HoneyJarTopics.snapshot | typeof HoneyJarTopics.snapshotRequested
>;

/** Adds the event to the actor's unit of work: it commits with the change (call inside the change's transaction). */
export function enqueueHoneyJarEvent(
  actor: Actor,
  topic: HoneyJarTopic,
  event: Omit<HoneyJarEvent, 'at'>,
): void {
  const envelope = createEvent<HoneyJarEvent>(
    topic,
    { ...event, at: new Date().toISOString() },
    { source: 'honey-jars', correlationId: actor.requestId ?? null, metadata: { actorId: event.actorId } },
  );
  enqueueEvent(actor.em, topic, envelope);
}
