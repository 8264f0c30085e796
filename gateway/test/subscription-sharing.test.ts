// Work shared between subscribers: identical subscribers (same operation, variables and viewer) share one upstream
// subscription and complete each event with one entity fetch between them, the upstream closes when the last one
// leaves, different viewers never share, and plans are cached per supergraph.
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
    // One upstream (bus listener) per distinct viewer.
    await waitFor(() => platform.bus.listenerCount() === baseline + new Set(tokens).size);
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

  it('opens one upstream for identical subscribers and closes it when the last one leaves', async () => {
    const chat = platform.endpoints.find((endpoint) => endpoint.name === 'chat')!;
    const baseline = platform.bus.listenerCount();
    const clients = [0, 1, 2].map(() => connect(platform, 'alice-token'));
    const streams = clients.map((client) =>
      client.iterate({ query: MESSAGE_ADDED, variables: { id: 'u1' } }),
    );
    const firsts = streams.map((events) => events.next());
    await waitFor(() => platform.gateway.federation.planning.upstreams.size === 1);
    await waitFor(() => platform.bus.listenerCount() === baseline + 1);
    expect(chat.openSubscriptions()).toBe(1);
    await post(platform, 'u1', 'first');
    for (const step of await Promise.all(firsts))
      expect(step.value).toEqual({
        data: { messageAdded: { text: 'first', author: { displayName: 'Bob' } } },
      });

    // Two leave: the one left still gets events over the same upstream.
    await clients[0].dispose();
    await clients[1].dispose();
    const next = streams[2].next();
    await post(platform, 'u1', 'second');
    expect((await next).value).toEqual({
      data: { messageAdded: { text: 'second', author: { displayName: 'Bob' } } },
    });
    expect(chat.openSubscriptions()).toBe(1);
    expect(platform.bus.listenerCount()).toBe(baseline + 1);

    // The last one leaves: the upstream is closed.
    await clients[2].dispose();
    await waitFor(() => chat.openSubscriptions() === 0 && platform.bus.listenerCount() === baseline);
    expect(platform.gateway.federation.planning.upstreams.size).toBe(0);

    // A new subscriber opens a fresh upstream.
    const again = connect(platform, 'alice-token');
    const events = again.iterate({ query: MESSAGE_ADDED, variables: { id: 'u1' } });
    const first = events.next();
    await waitFor(() => platform.bus.listenerCount() === baseline + 1);
    await post(platform, 'u1', 'third');
    expect((await first).value).toEqual({
      data: { messageAdded: { text: 'third', author: { displayName: 'Bob' } } },
    });
    await again.dispose();
    await waitFor(() => chat.openSubscriptions() === 0);
  });

  it('never shares an upstream across variables', async () => {
    const baseline = platform.bus.listenerCount();
    const client = connect(platform, 'alice-token');
    const a = client.iterate({ query: MESSAGE_ADDED, variables: { id: 'v1' } });
    const b = client.iterate({ query: MESSAGE_ADDED, variables: { id: 'v2' } });
    const firstA = a.next();
    const firstB = b.next();
    await waitFor(() => platform.bus.listenerCount() === baseline + 2);
    await post(platform, 'v2', 'to b');
    await post(platform, 'v1', 'to a');
    expect((await firstA).value).toMatchObject({ data: { messageAdded: { text: 'to a' } } });
    expect((await firstB).value).toMatchObject({ data: { messageAdded: { text: 'to b' } } });
    await client.dispose();
    await waitFor(() => platform.bus.listenerCount() === baseline);
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
