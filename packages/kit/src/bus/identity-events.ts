// Payloads of identity's events about people, shared by identity (the producer) and the gateway, honey-jars and
// chat (the consumers), so neither side can drift from the other.

/** Why a person's access changed (`identity.user.changed`). */
export type UserChangeReason = 'role' | 'disabled' | 'enabled' | 'deleted' | 'sessions-ended';

export interface UserChangedEvent {
  userId: string;
  reason: UserChangeReason;
  /** The sessions ended, when only some of the person's sessions were (reason `sessions-ended`). */
  sessionIds?: string[];
}

/** What becomes of a deleted person's honey jars. */
export type HoneyJarDisposition = 'TRANSFER' | 'DELETE';

/** `user.deleted`: the person is gone; their jars go to `transferTo` or are deleted, their conversations go. */
export interface UserDeletedEvent {
  userId: string;
  honeyJars: HoneyJarDisposition;
  /** The person who receives the jars (TRANSFER only). */
  transferTo?: string;
}

export function isUserChangedEvent(value: unknown): value is UserChangedEvent {
  const event = value as Partial<UserChangedEvent> | null;
  return typeof event?.userId === 'string' && typeof event.reason === 'string';
}

export function isUserDeletedEvent(value: unknown): value is UserDeletedEvent {
  const event = value as Partial<UserDeletedEvent> | null;
  return (
    typeof event?.userId === 'string' &&
    (event.honeyJars === 'DELETE' || (event.honeyJars === 'TRANSFER' && typeof event.transferTo === 'string'))
  );
}
