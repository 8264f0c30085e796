// The outbox table every subgraph keeps in its own schema: events written in the same transaction as the change
// they announce, waiting for the relay to put them on the bus. `seq` gives the order they were written in.
import { defineEntity, p, type EntityManager, type InferEntity } from '@mikro-orm/core';
import type { EventEnvelope } from '../bus/envelope.ts';

export const OutboxEvent = defineEntity({
  name: 'OutboxEvent',
  tableName: 'outbox_event',
  properties: {
    seq: p.bigint('number').primary().autoincrement(),
    id: p.uuid().unique(),
    topic: p.string().length(255),
    envelope: p.json<EventEnvelope>(),
    createdAt: p.datetime(3).onCreate(() => new Date()),
    /** Null until the relay has published it. */
    sentAt: p.datetime(3).nullable().index(),
    attempts: p.integer().default(0),
    lastError: p.text().nullable(),
  },
});

export type OutboxEvent = InferEntity<typeof OutboxEvent>;

/**
 * Adds `event` to the outbox in `em`'s unit of work: it is written by the same flush (and so the same
 * transaction) as the change it announces, and published by the relay once that commits. Never publish
 * straight to the bus after a write: a crash or a bus failure between the commit and the publish loses it.
 */
export function enqueueEvent<T>(em: EntityManager, topic: string, event: EventEnvelope<T>): void {
  em.create(OutboxEvent, { id: event.id, topic, envelope: event as EventEnvelope });
}
