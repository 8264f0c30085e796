// Follows identity's `identity.user.changed` events: when a person's role or standing changes, or some of their
// sessions end, this gateway forgets every cached session and API key viewer of theirs and re-checks their open
// graphql-ws sockets at once (a demoted admin's socket closes before the next alert; a disabled person's too),
// instead of waiting for the cache to expire.
import type { Logger } from 'pino';
import { followTopic, isUserChangedEvent, Topics, type EventBus } from '@sting/kit';
import type { SessionResolver } from './session-resolver.ts';

export interface UserChangeFollowers {
  sessions: Pick<SessionResolver, 'forgetUser'>;
  /** The open sockets; absent while the gateway is still starting. */
  sockets: () => { recheckUser(userId: string): Promise<number> } | undefined;
}

/** Subscribes (resolving once the subscription is live); the returned function stops following. */
export function followUserChanges(
  bus: EventBus,
  followers: UserChangeFollowers,
  logger: Logger,
): Promise<() => Promise<void>> {
  return followTopic(
    bus,
    Topics.identity.userChanged,
    async (event) => {
      if (!isUserChangedEvent(event.payload)) return;
      const { userId, reason } = event.payload;
      followers.sessions.forgetUser(userId);
      const closed = (await followers.sockets()?.recheckUser(userId)) ?? 0;
      if (closed) logger.info({ userId, reason, closed }, 'sockets closed after a change to their person');
    },
    logger,
  );
}
