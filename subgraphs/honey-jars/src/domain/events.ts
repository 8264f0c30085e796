// What the honey-jars subgraph tells the rest of the platform: events written to its outbox with each change
// and relayed to the bus after the commit.
import { createEvent, enqueueEvent, Topics } from '@sting/kit';
import type { Actor } from './access.ts';

/** The topics honey-jars publishes on (kit's registry). */
export const HoneyJarTopics = Topics.honeyJar;

export interface HoneyJarEvent {
  honeyJarId: string;
  actorId: string | null;
  at: string;
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
