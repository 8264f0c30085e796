// API keys: the owner's createApiKey / apiKeys / revokeApiKey, and the gateway's apiKeyViewer.
import type { SubgraphContext } from '@sting/kit';
import { createApiKey, listApiKeys, resolveApiKey, revokeApiKey } from '../domain/api-keys.ts';
import { authorize } from '../domain/policies.ts';
import { identitySettings } from '../domain/settings.ts';
import type { MutationResolvers, QueryResolvers } from '../generated/resolvers-types.ts';
import type { IdentityLoaders } from '../loaders.ts';

type Context = SubgraphContext<IdentityLoaders, 'identity'>;

const originOf = ({ requestId, client }: Context) => ({ requestId, clientAddress: client?.address });

/**
 * The gateways forget a revoked key when they hear of it: publishes the outbox now rather than on the relay's next
 * pass, so the key is refused by the time the answer arrives. If the bus is away the relay retries; the row already
 * refuses the key.
 */
export async function announceRevocationsNow(context: Context): Promise<void> {
  await context.runtime.outbox.drain().catch((err: unknown) => {
    context.logger.warn({ err }, 'API key revocation not yet announced; the outbox relay will retry');
  });
}

export const apiKeyQueries: QueryResolvers<Context> = {
  apiKeys: (_, __, context) => {
    authorize(context.viewer, 'api-key:manage');
    return listApiKeys(context.em, context.viewer);
  },

  apiKeyViewer: async (_, { key }, context) => {
    authorize(context.viewer, 'api-key:resolve');
    const resolved = await resolveApiKey(context.em, key, originOf(context));
    if (!resolved) return null;
    const { apiKey, owner } = resolved;
    return {
      id: owner.id,
      role: owner.role,
      email: owner.email,
      displayName: owner.displayName,
      sessionId: null,
      apiKey: {
        id: apiKey.id,
        scopes: apiKey.scopes,
        honeyJarIds: apiKey.honeyJarIds ?? null,
        expiresAt: apiKey.expiresAt ?? null,
      },
    };
  },
};

export const apiKeyMutations: MutationResolvers<Context> = {
  createApiKey: (_, { input }, context) => {
    authorize(context.viewer, 'api-key:manage');
    return createApiKey(context.em, context.viewer, input, {
      settings: identitySettings(context.runtime.config),
      origin: originOf(context),
    });
  },

  revokeApiKey: async (_, { id }, context) => {
    authorize(context.viewer, 'api-key:manage');
    const revoked = await revokeApiKey(context.em, context.viewer, id, originOf(context));
    if (revoked) await announceRevocationsNow(context);
    return revoked;
  },
};
