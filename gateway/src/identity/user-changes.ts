// Follows identity's `identity.user.changed` events: when a person's role or standing changes, or some of their
// sessions end, this gateway forgets every cached session and API key viewer of theirs and re-checks their open
// graphql-ws sockets at once (a demoted admin's socket closes before the next alert; a disabled person's too),
// instead of waiting for the cache to expire.
import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from 'pino';
import type { GatewayContext } from '../context.ts';
import { argumentValue, executedRootFields, responseKey } from '@sting/kit/graphql/root-fields.ts';
import { followTopic } from '@sting/kit/bus/follow.ts';
import { isUserChangedEvent } from '@sting/kit/bus/identity-events.ts';
import { Topics } from '@sting/kit/bus/topics.ts';
import type { EventBus } from '@sting/kit/bus/event-bus.ts';
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

/**
 * Mutations through which a person's access changes, and whose person they change: the target's `id` argument, or
 * the caller themselves (`self`). The announcement above reaches every gateway a moment later; the gateway that ran
 * the mutation applies it before its answer leaves, so the caller's very next request already sees the change.
 */
const CHANGES_ACCESS: Readonly<Record<string, 'id' | 'input.id' | 'self'>> = {
  setUserRole: 'id',
  disableUser: 'id',
  enableUser: 'id',
  deleteUser: 'input.id',
  logout: 'self',
  endSession: 'self',
  endOtherSessions: 'self',
  changePassword: 'self',
};

export function userChangesPlugin(followers: UserChangeFollowers): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operation, document, request, response }) {
          if (operation?.operation !== 'mutation' || !document) return;
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const people = new Set<string>();
          for (const field of executedRootFields(document, operation, request.variables)) {
            const whose = CHANGES_ACCESS[field.name.value];
            if (!whose || result?.errors?.some((e) => e.path?.[0] === responseKey(field) || !e.path))
              continue;
            const viewer = contextValue.viewer;
            const userId =
              whose === 'self'
                ? viewer?.kind === 'user'
                  ? viewer.id
                  : undefined
                : whose === 'id'
                  ? argumentValue(field, 'id', request.variables)
                  : (argumentValue(field, 'input', request.variables) as { id?: unknown } | undefined)?.id;
            if (typeof userId === 'string') people.add(userId);
          }
          for (const userId of people) {
            followers.sessions.forgetUser(userId);
            await followers.sockets()?.recheckUser(userId);
          }
        },
      };
    },
  };
}
