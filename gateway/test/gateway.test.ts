// The gateway over toy subgraphs in both topologies: sessions become viewers, cross-subgraph queries batch
// their entity fetches, errors are masked, and a rewritten supergraph is served without a restart.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { chatModule, composeSupergraph, honeyJarsModule, identityModule, jars } from './toy-subgraphs.ts';
import { postGraphQL, startToyPlatform, waitFor, type ToyPlatform, type Topology } from './toy-platform.ts';

const withMotd = identityModule('motd: String');

describe.each<Topology>(['embedded', 'distributed'])('gateway (%s)', (topology) => {
  let platform: ToyPlatform;
  beforeAll(async () => {
    platform = await startToyPlatform(
      topology,
      [withMotd, honeyJarsModule, chatModule],
      [identityModule(), honeyJarsModule, chatModule],
    );
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('resolves the session from a bearer token or the cookie, and is anonymous without one', async () => {
    const query = '{ me { id displayName } }';
    const bearer = await postGraphQL(platform.gateway.url, query, undefined, {
      authorization: 'Bearer alice-token',
    });
    expect(bearer.body).toEqual({ data: { me: { id: 'u1', displayName: 'Alice' } } });
    const cookie = await postGraphQL(platform.gateway.url, query, undefined, {
      cookie: 'x=1; sting_session=bob-token',
    });
    expect(cookie.body.data.me.displayName).toBe('Bob');
    const anonymous = await postGraphQL(platform.gateway.url, query);
    expect(anonymous.body).toEqual({ data: { me: null } });
  });

  it("leaves Apollo's usage reporting to Apollo's servers off", () => {
    // Read by @apollo/gateway when it is constructed: unless it is 'true' (or '1') it exports metrics to Apollo.
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('true');
  });

  it('answers an unknown path with 404 in the REST error shape', async () => {
    const response = await fetch(new URL('/no/such/page', platform.gateway.url), {
      headers: { 'x-request-id': 'req-404' },
    });
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ code: 'NOT_FOUND', request_id: 'req-404' });
    expect(typeof body.error.message).toBe('string');
    expect(typeof body.error.timestamp).toBe('string');
  });

  it('hides the @inaccessible sessionViewer from clients', async () => {
    const result = await postGraphQL(platform.gateway.url, '{ sessionViewer(token: "alice-token") { id } }');
    expect(result.body.errors?.[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('joins honey jars with their owners in one fetch per subgraph, whatever the row count', async () => {
    platform.fetches.length = 0;
    const result = await postGraphQL(
      platform.gateway.url,
      '{ honeyJars { nodes { name owner { displayName } } } }',
      undefined,
      {
        authorization: 'Bearer alice-token',
      },
    );
    expect(result.body.data.honeyJars.nodes).toHaveLength(jars.length);
    expect(result.body.data.honeyJars.nodes[1]).toEqual({ name: 'Jar 1', owner: { displayName: 'Bob' } });
    const operations = platform.fetches.filter((f) => !f.query.includes('sessionViewer'));
    expect(operations.map((f) => f.subgraph).sort()).toEqual(['honey-jars', 'identity']);
  });

  it('masks errors and stamps them with the request id', async () => {
    const result = await postGraphQL(
      platform.gateway.url,
      'mutation { postMessage(conversationId: "c", text: "hi") { id } }',
      undefined,
      {
        'x-request-id': 'req-123',
      },
    );
    expect(result.headers.get('x-request-id')).toBe('req-123');
    const [error] = result.body.errors ?? [];
    expect(error.extensions).toEqual({ code: 'FORBIDDEN', requestId: 'req-123' });
    expect(JSON.stringify(result.body)).not.toMatch(/stack|serviceName/);
  });

  it('refuses subscriptions over HTTP with a client error', async () => {
    const result = await postGraphQL(
      platform.gateway.url,
      'subscription { messageAdded(conversationId: "c") { text } }',
    );
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0].message).toMatch(/graphql-ws/);
  });

  it('serves a rewritten supergraph without a restart', async () => {
    const before = await postGraphQL(platform.gateway.url, '{ motd }');
    expect(before.body.errors?.[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    // identity already serves motd (deployed first); it becomes public once the supergraph file says so.
    await writeFile(
      platform.supergraphPath,
      composeSupergraph([withMotd, honeyJarsModule, chatModule], platform.urls),
    );
    await waitFor(
      async () => (await postGraphQL(platform.gateway.url, '{ motd }')).body.data?.motd === 'new',
    );
  });
});
