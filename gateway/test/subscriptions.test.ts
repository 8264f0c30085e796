// Federated subscriptions through the gateway in both topologies: each event is completed with entity fetches to
// other subgraphs, and ending a subscription (unsubscribe or a dropped socket) frees the upstream for good.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { postGraphQL, startToyPlatform, waitFor, type ToyPlatform, type Topology } from './toy-platform.ts';

const MESSAGE_ADDED =
  'subscription ($id: ID!) { messageAdded(conversationId: $id) { text author { displayName } } }';

function connect(platform: ToyPlatform, params: Record<string, unknown> = {}): Client {
  return createClient({
    url: platform.gateway.url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: params,
    retryAttempts: 0,
  });
}

const post = (platform: ToyPlatform, conversationId: string, text: string) =>
  postGraphQL(
    platform.gateway.url,
    'mutation ($c: ID!, $t: String!) { postMessage(conversationId: $c, text: $t) { id } }',
    { c: conversationId, t: text },
    {
      authorization: 'Bearer bob-token',
    },
  );

describe.each<Topology>(['embedded', 'distributed'])('subscriptions (%s)', (topology) => {
  let platform: ToyPlatform;
  let chatEndpoint: ToyPlatform['endpoints'][number];
  beforeAll(async () => {
    platform = await startToyPlatform(topology);
    chatEndpoint = platform.endpoints.find((e) => e.name === 'chat')!;
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('delivers events completed by other subgraphs, then frees the upstream on unsubscribe', async () => {
    const baseline = platform.bus.listenerCount();
    const client = connect(platform, { authorization: 'Bearer alice-token' });
    const events = client.iterate({ query: MESSAGE_ADDED, variables: { id: 'c1' } });
    const first = events.next();
    await waitFor(() => platform.bus.listenerCount() === baseline + 1);
    expect(chatEndpoint.openSubscriptions()).toBe(1);

    expect((await post(platform, 'c1', 'hello')).body.errors).toBeUndefined();
    expect((await first).value).toEqual({
      data: { messageAdded: { text: 'hello', author: { displayName: 'Bob' } } },
    });
    await post(platform, 'c2', 'elsewhere');
    await post(platform, 'c1', 'again');
    expect((await events.next()).value).toEqual({
      data: { messageAdded: { text: 'again', author: { displayName: 'Bob' } } },
    });

    await events.return?.(undefined);
    await waitFor(() => platform.bus.listenerCount() === baseline && chatEndpoint.openSubscriptions() === 0);
    await client.dispose();
  });

  it('frees the upstream when the client socket drops', async () => {
    const baseline = platform.bus.listenerCount();
    const client = connect(platform, { token: 'alice-token' });
    const events = client.iterate({ query: MESSAGE_ADDED, variables: { id: 'c3' } });
    void events.next().catch(() => undefined);
    await waitFor(() => platform.bus.listenerCount() === baseline + 1);
    client.terminate();
    await waitFor(() => platform.bus.listenerCount() === baseline && chatEndpoint.openSubscriptions() === 0);
    await waitFor(() => platform.gateway.webSocket.clients() === 0);
  });

  it('checks identity at subscribe time: an anonymous caller is refused', async () => {
    const client = connect(platform);
    const events = client.iterate({ query: MESSAGE_ADDED, variables: { id: 'c4' } });
    const outcome = await events.next().then(
      (step) => step.value,
      (errors) => ({ errors }),
    );
    expect(JSON.stringify(outcome)).toContain('FORBIDDEN');
    expect(JSON.stringify(outcome)).not.toMatch(/stack/);
    await waitFor(() => chatEndpoint.openSubscriptions() === 0);
    await client.dispose();
  });

  it('answers queries and mutations sent over graphql-ws through the same pipeline', async () => {
    const client = connect(platform, { authorization: 'Bearer alice-token' });
    const events = client.iterate({
      query: '{ me { displayName } honeyJars { nodes { owner { displayName } } } }',
    });
    const { value } = await events.next();
    expect(value?.data).toMatchObject({ me: { displayName: 'Alice' } });
    expect((value?.data as any).honeyJars.nodes[0].owner.displayName).toBe('Alice');
    await client.dispose();
  });
});
