// A subscription's subgraph context carries the subscriber's delegated assertion, as a query's fetch does, in both
// topologies, and keeps it current while the subscription is open: chat checks each event's citations with
// knowledge on the person's behalf, however long ago the subscription began.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { parse, print } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import {
  loadOrCreateSigningKeys,
  verifyAssertion,
  type SubgraphContext,
  type SubgraphModule,
} from '@sting/kit';
import { postGraphQL, startToyPlatform, waitFor, type ToyPlatform, type Topology } from './toy-platform.ts';
import { chatModule, honeyJarsModule, identityModule } from './toy-subgraphs.ts';

/** Short-lived assertions: a subscription outlives the first one it was given within the test. */
const TTL_SECONDS = 2;

let verificationKey: Awaited<ReturnType<typeof loadOrCreateSigningKeys>>['publicKey'];

/** Whom the context's delegated assertion names at knowledge, and until when (JWT `exp`, in seconds). */
async function delegation(ctx: SubgraphContext): Promise<string> {
  const token = ctx.delegatedIdentity;
  if (!token) return JSON.stringify({ as: null });
  const { viewer } = await verifyAssertion(verificationKey, token, 'knowledge');
  const { exp } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { exp: number };
  return JSON.stringify({ as: viewer?.kind === 'user' ? viewer.id : null, exp });
}

/** The toy chat, whose messages also say what the subscription's context holds for knowledge when they arrive. */
const chat: SubgraphModule = {
  ...chatModule,
  typeDefs: parse(
    print(chatModule.typeDefs).replace('author: User!', 'author: User!\n  delegation: String!'),
  ),
  resolvers: {
    ...chatModule.resolvers,
    Message: {
      ...(chatModule.resolvers.Message as object),
      delegation: (_message: unknown, _args: unknown, ctx: SubgraphContext) => delegation(ctx),
    },
  },
};

describe.each<Topology>(['embedded', 'distributed'])(
  'a subscription on the person’s behalf (%s)',
  (topology) => {
    let platform: ToyPlatform;
    beforeAll(async () => {
      platform = await startToyPlatform(
        topology,
        [identityModule(), honeyJarsModule, chat],
        undefined,
        {},
        TTL_SECONDS,
      );
      verificationKey = (await loadOrCreateSigningKeys(platform.keysDir)).publicKey;
    });
    afterAll(async () => {
      await platform?.stop();
    });

    it('holds the subscriber’s delegated assertion, renewed while it is open', async () => {
      const baseline = platform.bus.listenerCount();
      const client = createClient({
        url: platform.gateway.url.replace('http', 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: 'Bearer alice-token' },
        retryAttempts: 0,
      });
      const events = client.iterate({
        query: 'subscription ($id: ID!) { messageAdded(conversationId: $id) { text delegation } }',
        variables: { id: 'd1' },
      });
      const post = (text: string) =>
        postGraphQL(
          platform.gateway.url,
          'mutation ($c: ID!, $t: String!) { postMessage(conversationId: $c, text: $t) { id } }',
          { c: 'd1', t: text },
          { authorization: 'Bearer bob-token' },
        );
      const next = async () => {
        const { messageAdded } = (await events.next()).value.data;
        return { text: messageAdded.text, ...JSON.parse(messageAdded.delegation) };
      };
      const first = next();
      await waitFor(() => platform.bus.listenerCount() === baseline + 1);
      await post('at once');
      const atOnce = await first;
      expect(atOnce).toMatchObject({ text: 'at once', as: 'u1' });
      // Past the life of every assertion signed when the subscription began: it holds a later one, still current
      // (to the second of its `exp`).
      await new Promise((resolve) => setTimeout(resolve, TTL_SECONDS * 1000 + 1000));
      await post('later');
      const later = await next();
      expect(later).toMatchObject({ text: 'later', as: 'u1' });
      expect(later.exp).toBeGreaterThan(atOnce.exp);
      expect(later.exp * 1000).toBeGreaterThan(Date.now() - 1000);
      expect(atOnce.exp * 1000).toBeLessThan(Date.now());
      await events.return?.(undefined);
      await client.dispose();
    });
  },
);
