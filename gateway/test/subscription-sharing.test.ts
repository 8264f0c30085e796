// Work shared between subscribers: identical subscribers (same operation, variables and viewer) complete each event
// with one entity fetch between them, different viewers never share, and plans are cached per supergraph.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { postGraphQL, startToyPlatform, waitFor, type ToyPlatform, type Topology } from './toy-platform.ts';
import { chatModule, composeSupergraph, honeyJarsModule, identityModule } from './toy-subgraphs.ts';

const MESSAGE_ADDED =
  'subscription ($id: ID!) { messageAdded(conversationId: $id) { text author { displayName } } }';

const connect = (platform: ToyPlatform, token: string): Client =>
  createClient({
    url: platform.gateway.url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });

const post = (platform: ToyPlatform, conversationId: string, text: string) =>
  postGraphQL(
    platform.gateway.url,
    'mutation ($c: ID!, $t: String!) { postMessage(conversationId: $c, text: $t) { id } }',
    { c: conversationId, t: text },
    { authorization: 'Bearer bob-token' },
  );

describe.each<Topology>(['embedded', 'distributed'])('shared subscription work (%s)', (topology) => {
  let platform: ToyPlatform;
  beforeAll(async () => {
    platform = await startToyPlatform(topology);
  });
  afterAll(async () => {
    await platform?.stop();
  });

  const entityFetchesSince = (mark: number) =>
    platform.fetches.slice(mark).filter((f) => f.subgraph === 'identity' && f.query.includes('_entities'));

  /** Subscribes one client per token to `conversationId`, posts `text`, and returns what each received. */
  async function deliver(tokens: string[], conversationId: string, text: string) {
    const baseline = platform.bus.listenerCount();
    const clients = tokens.map((token) => connect(platform, token));
    const streams = clients.map((client) =>
      client.iterate({ query: MESSAGE_ADDED, variables: { id: conversationId } }),
    );
    const firsts = streams.map((events) => events.next());
    await waitFor(() => platform.bus.listenerCount() === baseline + tokens.length);
    const mark = platform.fetches.length;
    expect((await post(platform, conversationId, text)).body.errors).toBeUndefined();
    const received = (await Promise.all(firsts)).map((step) => step.value);
    const fetches = entityFetchesSince(mark).length;
    await Promise.all(clients.map((client) => client.dispose()));
    await waitFor(() => platform.bus.listenerCount() === baseline);
    return { received, fetches };
  }

  it('completes an event once for subscribers with the same viewer', async () => {
    const { received, fetches } = await deliver(['alice-token', 'alice-token', 'alice-token'], 's1', 'one');
    for (const value of received)
      expect(value).toEqual({ data: { messageAdded: { text: 'one', author: { displayName: 'Bob' } } } });
    expect(fetches).toBe(1);
  });

  it('completes an event separately for each viewer', async () => {
    const { received, fetches } = await deliver(['alice-token', 'bob-token'], 's2', 'two');
    for (const value of received)
      expect(value).toEqual({ data: { messageAdded: { text: 'two', author: { displayName: 'Bob' } } } });
    expect(fetches).toBe(2);
  });

  it('plans an operation once per supergraph, and again after a reload', async () => {
    const plans = platform.gateway.federation.planning.subscriptionPlans;
    const before = plans.built;
    await deliver(['alice-token', 'bob-token'], 's3', 'three');
    await deliver(['alice-token'], 's3', 'four');
    expect(plans.built - before).toBeLessThanOrEqual(1);

    await writeFile(
      platform.supergraphPath,
      composeSupergraph([identityModule('motd: String'), honeyJarsModule, chatModule], platform.urls),
    );
    await waitFor(() => platform.gateway.federation.planning.subscriptionPlans !== plans);
    const reloaded = platform.gateway.federation.planning.subscriptionPlans;
    const { received } = await deliver(['alice-token'], 's3', 'five');
    expect(received[0]).toEqual({ data: { messageAdded: { text: 'five', author: { displayName: 'Bob' } } } });
    expect(reloaded.built).toBe(1);
  });
});
