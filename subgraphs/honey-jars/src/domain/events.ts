// What the honey-jars subgraph tells the rest of the platform, published on the bus after each commit.
import type { EventBus } from '@sting/kit';

export const HoneyJarTopics = {
  created: 'honey-jars.honey-jar.created',
  updated: 'honey-jars.honey-jar.updated',
  deleted: 'honey-jars.honey-jar.deleted',
  memberAdded: 'honey-jars.honey-jar.member-added',
} as const;

export interface HoneyJarEvent {
  honeyJarId: string;
  actorId: string | null;
  at: string;
}

export async function publishHoneyJarEvent(
  bus: EventBus | undefined,
  topic: (typeof HoneyJarTopics)[keyof typeof HoneyJarTopics],
  event: Omit<HoneyJarEvent, 'at'>,
): Promise<void> {
  await bus?.publish<HoneyJarEvent>(topic, { ...event, at: new Date().toISOString() });
}
