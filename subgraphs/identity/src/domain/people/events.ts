// What identity tells the rest of the platform about people, through its outbox (so an event goes out exactly when
// the change commits): `identity.user.changed` for gateways (forget cached sessions, re-check open sockets) and
// `user.deleted` for honey-jars and chat (the person's jars and conversations).
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  createEvent,
  enqueueEvent,
  Topics,
  type UserChangedEvent,
  type UserChangeReason,
  type UserDeletedEvent,
} from '@sting/kit';

export interface EventOrigin {
  requestId?: string | null;
  actorId?: string | null;
}

/** Adds `identity.user.changed` to the unit of work (flush or commit it with the change). */
export function enqueueUserChanged(
  em: EntityManager,
  origin: EventOrigin,
  userId: string,
  reason: UserChangeReason,
  sessionIds?: string[],
): void {
  const payload: UserChangedEvent = { userId, reason, ...(sessionIds ? { sessionIds } : {}) };
  const envelope = createEvent(Topics.identity.userChanged, payload, {
    source: 'identity',
    correlationId: origin.requestId ?? null,
    metadata: { actorId: origin.actorId ?? null },
  });
  enqueueEvent(em, Topics.identity.userChanged, envelope);
}

/** Adds `user.deleted` to the unit of work. */
export function enqueueUserDeleted(em: EntityManager, origin: EventOrigin, event: UserDeletedEvent): void {
  const envelope = createEvent(Topics.identity.userDeleted, event, {
    source: 'identity',
    correlationId: origin.requestId ?? null,
    metadata: { actorId: origin.actorId ?? null },
  });
  enqueueEvent(em, Topics.identity.userDeleted, envelope);
}
