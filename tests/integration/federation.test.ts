// The real subgraphs behind the gateway, in both topologies: a session becomes a viewer, a cross-subgraph list
// costs one fetch per subgraph, and chat's messageAdded is completed with identity's author fields.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ADMIN, graphql, startIntegrationPlatform, waitFor, type IntegrationPlatform } from './platform.ts';

describe.each(['embedded', 'distributed'] as const)('federation (%s)', (topology) => {
  let it_: IntegrationPlatform;
  let token: string;
  beforeAll(async () => {
    it_ = await startIntegrationPlatform(topology);
    const login = await graphql(
      it_.url,
      'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
      {
        e: ADMIN.email,
        p: ADMIN.password,
      },
    );
    expect(login.errors).toBeUndefined();
    token = login.data.login.token;
  }, 60_000);
  afterAll(async () => {
    await it_?.stop();
  });

  it('lists honey jars with their owners in one fetch to each subgraph', async () => {
    for (const name of ['Alpha', 'Beta', 'Gamma', 'Delta']) {
      const created = await graphql(
        it_.url,
        'mutation ($n: String!) { createHoneyJar(input: { name: $n }) { id } }',
        { n: name },
        token,
      );
      expect(created.errors).toBeUndefined();
    }
    it_.fetches.length = 0;
    const result = await graphql(
      it_.url,
      '{ honeyJars { nodes { name owner { displayName } } } }',
      undefined,
      token,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.honeyJars.nodes.length).toBeGreaterThanOrEqual(4);
    for (const jar of result.data.honeyJars.nodes) expect(typeof jar.owner.displayName).toBe('string');
    // Session lookups and the gateway's own audit batches are not part of the query's plan.
    const counted = it_.fetches
      .filter((f) => !f.query.includes('sessionViewer') && !f.query.includes('appendAuditEvents'))
      .map((f) => f.subgraph);
    expect(counted.sort()).toEqual(['honey-jars', 'identity']);
  });

  it('delivers messageAdded with the author from identity, and frees the upstream on unsubscribe and on a dropped socket', async () => {
    const started = await graphql(
      it_.url,
      'mutation { startConversation(title: "t") { id } }',
      undefined,
      token,
    );
    expect(started.errors).toBeUndefined();
    const conversationId = started.data.startConversation.id;
    const chat = it_.platform.endpoints.find((e) => e.name === 'chat')!;
    // Bee listens for stop requests from its first answer on: let that listener exist before the baseline.
    await graphql(
      it_.url,
      'mutation ($c: ID!) { sendMessage(conversationId: $c, text: "warming up") { id } }',
      { c: conversationId },
      token,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const baseline = it_.bus.listenerCount();
    const query =
      'subscription ($c: ID!) { messageAdded(conversationId: $c) { role text author { displayName } } }';
    // Bee's answers arrive on messageAdded too (an earlier question's may still be on its way): skip them.
    const nextQuestion = async (events: AsyncIterator<any>) => {
      for (;;) {
        const { value, done } = await events.next();
        if (done || value?.errors || value?.data?.messageAdded.role === 'USER') return value;
      }
    };

    for (const ending of ['unsubscribe', 'drop'] as const) {
      const client = createClient({
        url: it_.url.replace('http', 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
      });
      const events = client.iterate({ query, variables: { c: conversationId } });
      const first = nextQuestion(events);
      await waitFor(() => it_.bus.listenerCount() > baseline);
      const sent = await graphql(
        it_.url,
        'mutation ($c: ID!, $t: String!) { sendMessage(conversationId: $c, text: $t) { id } }',
        { c: conversationId, t: `hello ${ending}` },
        token,
      );
      expect(sent.errors).toBeUndefined();
      const value = await first;
      expect(value?.errors).toBeUndefined();
      expect((value?.data as any).messageAdded.text).toBe(`hello ${ending}`);
      expect(typeof (value?.data as any).messageAdded.author.displayName).toBe('string');
      if (ending === 'unsubscribe') await events.return?.(undefined);
      else client.terminate();
      await waitFor(() => it_.bus.listenerCount() === baseline && chat.openSubscriptions() === 0);
      await client.dispose();
    }
  }, 30_000);

  it('refuses an operation whose pages of pages could answer hundreds of thousands of fields, over HTTP and graphql-ws', async () => {
    // Shallow and few fields, so graphql-armor's cost lets it through; 100 jars x 200 documents x 10 fields do not.
    const query = `query ($docs: Int) { honeyJars(first: 100) { nodes { documents(first: $docs) { nodes {
      id title fileType contentType size contentHash processingStatus progress chunkCount createdAt } } } } }`;
    const refused = await graphql(it_.url, query, { docs: 200 }, token);
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(refused.errors?.[0].message).toMatch(/could return about 220,201 fields.*\(maxResultSize\)/);
    expect(refused.data).toBeUndefined();
    const served = await graphql(it_.url, query, { docs: 5 }, token);
    expect(served.errors).toBeUndefined();

    const client = createClient({
      url: it_.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
    const answer = await new Promise<unknown>((resolve) =>
      client.subscribe(
        { query, variables: { docs: 200 } },
        { next: resolve, error: resolve, complete: () => undefined },
      ),
    );
    expect(JSON.stringify(answer)).toMatch(/maxResultSize/);
    await client.dispose();
  });
});
