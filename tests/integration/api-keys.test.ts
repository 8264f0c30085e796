// API keys through the real gateway, identity and honey-jars, with Redis behind the bus and the rate limiter: a key
// is shown once and stored hashed, works as a Bearer token or X-API-Key on REST, GraphQL and graphql-ws, is held to
// its scopes (FORBIDDEN naming the missing one), its jars, its expiry and its owner's role, stops at once when
// revoked, records its last use, spends its own rate-limit bucket, and malformed credentials answer 401.
import { createHash } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import pg from 'pg';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { StingConfig } from '@sting/kit';
import {
  ADMIN,
  graphql,
  postGraphQL,
  signIn,
  startIntegrationPlatform,
  waitFor,
  type IntegrationPlatform,
} from './platform.ts';

const CREATE_KEY = `mutation ($i: CreateApiKeyInput!) {
  createApiKey(input: $i) { key apiKey { id name prefix scopes expiresAt lastUsedAt honeyJarIds } }
}`;
const CREATE_USER = 'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }';
const CREATE_JAR = 'mutation ($i: CreateHoneyJarInput!) { createHoneyJar(input: $i) { id } }';
const ME = '{ me { id email } }';
const PASSWORD = 'a long enough password';

type Headers = Record<string, string>;

const bearer = (key: string): Headers => ({ authorization: `Bearer ${key}` });
const xApiKey = (key: string): Headers => ({ 'x-api-key': key });

async function rest(base: string, method: string, path: string, headers: Headers, body?: unknown) {
  const response = await fetch(new URL(path, base), {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

/** One query over graphql-ws with `connectionParams`; resolves to its result or to the close code. */
async function overSocket(url: string, connectionParams: Record<string, unknown>, query: string) {
  let closed: number | undefined;
  const client: Client = createClient({
    url: url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => void (closed = (event as { code: number }).code) },
  });
  try {
    const result = await new Promise<any>((resolve) => {
      let value: unknown;
      client.subscribe(
        { query },
        {
          next: (v) => void (value = v),
          error: (err) => resolve({ error: err, closed }),
          complete: () => resolve(value),
        },
      );
    });
    return { result, closed };
  } finally {
    await client.dispose();
  }
}

describe('API keys on the real platform', () => {
  let it_: IntegrationPlatform;
  let base: string;
  let admin: string;
  let member: { id: string; token: string };
  let viewer: { id: string; token: string };
  let db: pg.Client;

  const person = async (role: 'MEMBER' | 'VIEWER', label: string) => {
    const email = `${label}.${Date.now()}@example.com`;
    const created = await graphql(
      it_.url,
      CREATE_USER,
      { i: { email, displayName: label, password: PASSWORD, role } },
      admin,
    );
    return { id: created.data.createUser.id as string, token: await signIn(it_.url, email, PASSWORD) };
  };
  const createKey = async (token: string, input: Record<string, unknown>) => {
    const result = await graphql(it_.url, CREATE_KEY, { i: { name: 'script', ...input } }, token);
    expect(result.errors).toBeUndefined();
    return result.data.createApiKey as { key: string; apiKey: Record<string, any> };
  };
  const jar = async (token: string, name: string) =>
    (await graphql(it_.url, CREATE_JAR, { i: { name, type: 'PRIVATE' } }, token)).data.createHoneyJar
      .id as string;

  beforeAll(async () => {
    it_ = await startIntegrationPlatform('embedded', { redisUrl: process.env.REDIS_URL });
    base = it_.url.replace(/\/graphql$/, '');
    admin = await signIn(it_.url, ADMIN.email, ADMIN.password);
    member = await person('MEMBER', 'member');
    viewer = await person('VIEWER', 'viewer');
    db = new pg.Client({ connectionString: it_.databaseUrl });
    await db.connect();
  }, 90_000);
  afterAll(async () => {
    await db?.end();
    await it_?.stop();
  });

  it('shows the key once with its prefix and stores only its hash', async () => {
    const { key, apiKey } = await createKey(member.token, { scopes: ['honey-jars:read'] });
    expect(key).toMatch(/^sting_[A-Za-z0-9_-]{43}$/);
    expect(apiKey.prefix).toBe(key.slice(0, 14));
    const { rows } = await db.query('select * from identity.api_key where id = $1', [apiKey.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].key_hash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(JSON.stringify(rows[0])).not.toContain(key.slice(6));
  });

  it('works as a Bearer token and as X-API-Key on GraphQL, REST and graphql-ws, and never gets a cookie', async () => {
    const { key } = await createKey(member.token, { scopes: ['honey-jars:read'] });
    const mine = await jar(member.token, 'Key readable jar');
    for (const headers of [bearer(key), xApiKey(key)]) {
      const me = await postGraphQL(it_.url, ME, headers);
      expect(me.status).toBe(200);
      expect(me.body.data.me.id).toBe(member.id);
      expect(me.headers.get('set-cookie')).toBeNull();
      const listed = await rest(base, 'GET', '/api/v1/honey-pots', headers);
      expect(listed.status).toBe(200);
      expect(listed.body.data.nodes.map((n: { id: string }) => n.id)).toContain(mine);
      expect(listed.headers.get('set-cookie')).toBeNull();
    }
    for (const params of [{ authorization: `Bearer ${key}` }, { 'x-api-key': key }]) {
      const { result } = await overSocket(it_.url, params, ME);
      expect(result.data.me.id).toBe(member.id);
    }
  });

  it('answers FORBIDDEN naming the missing scope, on GraphQL and REST', async () => {
    const { key } = await createKey(member.token, { scopes: ['honey-jars:read'] });
    const graph = await graphql(it_.url, CREATE_JAR, { i: { name: 'Not with this key' } }, key);
    expect(graph.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(graph.errors?.[0].message).toBe('This API key lacks the scope honey-jars:write');
    const posted = await rest(base, 'POST', '/api/v1/honey-pots', bearer(key), { name: 'Nor here' });
    expect(posted.status).toBe(403);
    expect(posted.body.error).toMatchObject({
      code: 'FORBIDDEN',
      message: 'This API key lacks the scope honey-jars:write',
    });
    // With the scope the same owner may.
    const writer = await createKey(member.token, { scopes: ['honey-jars:write'] });
    const created = await rest(base, 'POST', '/api/v1/honey-pots', xApiKey(writer.key), { name: 'Key made' });
    expect(created.status).toBe(201);
  });

  it('never does more than its owner: a key with honey-jars:write cannot write once its owner is a VIEWER', async () => {
    // A viewer is refused write scopes outright; a member's key keeps them when the member becomes a viewer.
    const refused = await graphql(
      it_.url,
      CREATE_KEY,
      { i: { name: 'script', scopes: ['honey-jars:read', 'honey-jars:write'] } },
      viewer.token,
    );
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const demoted = await person('MEMBER', 'demoted');
    const { key } = await createKey(demoted.token, { scopes: ['honey-jars:read', 'honey-jars:write'] });
    const role = await graphql(
      it_.url,
      'mutation ($id: ID!) { setUserRole(id: $id, role: VIEWER) { role } }',
      { id: demoted.id },
      admin,
    );
    expect(role.errors).toBeUndefined();
    const graph = await graphql(it_.url, CREATE_JAR, { i: { name: 'Viewer jar' } }, key);
    expect(graph.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const posted = await rest(base, 'POST', '/api/v1/honey-pots', bearer(key), { name: 'Viewer jar' });
    expect(posted.status).toBe(403);
    // An administrator's key without the admin scope is no administrator.
    const adminKey = await createKey(admin, { scopes: ['honey-jars:read'] });
    const user = await graphql(
      it_.url,
      CREATE_USER,
      { i: { email: `x.${Date.now()}@example.com`, displayName: 'X', password: PASSWORD } },
      adminKey.key,
    );
    expect(user.errors?.[0].message).toBe('This API key lacks the scope admin');
  });

  it('stays within its honey jars', async () => {
    const allowed = await jar(member.token, 'Allowed jar');
    const other = await jar(member.token, 'Other jar');
    const { key, apiKey } = await createKey(member.token, {
      scopes: ['honey-jars:read'],
      honeyJarIds: [allowed],
    });
    expect(apiKey.honeyJarIds).toEqual([allowed]);
    const listed = await rest(base, 'GET', '/api/v1/honey-pots?first=50', bearer(key));
    expect(listed.body.data.nodes.map((n: { id: string }) => n.id)).toEqual([allowed]);
    expect((await rest(base, 'GET', `/api/v1/honey-pots/${allowed}`, bearer(key))).status).toBe(200);
    const refused = await rest(base, 'GET', `/api/v1/honey-pots/${other}`, bearer(key));
    expect([403, 404]).toContain(refused.status);
    const graph = await graphql(it_.url, 'query ($id: ID!) { honeyJar(id: $id) { id } }', { id: other }, key);
    expect(graph.data?.honeyJar ?? null).toBeNull();
    // The owner's session still reaches both.
    const own = await graphql(
      it_.url,
      'query ($id: ID!) { honeyJar(id: $id) { id } }',
      { id: other },
      member.token,
    );
    expect(own.data.honeyJar.id).toBe(other);
  });

  it('stops working the moment it expires', async () => {
    const expiresAt = new Date(Date.now() + 2_000);
    const { key } = await createKey(member.token, { scopes: ['search'], expiresAt: expiresAt.toISOString() });
    // Used, so the gateway has it cached when it expires.
    expect((await postGraphQL(it_.url, ME, bearer(key))).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt.getTime() - Date.now()) + 100));
    const after = await postGraphQL(it_.url, ME, bearer(key));
    expect(after.status).toBe(401);
    expect(after.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const rested = await rest(base, 'GET', '/api/v1/honey-pots', xApiKey(key));
    expect(rested.status).toBe(401);
    expect(rested.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('is refused at once when revoked, on HTTP and on an open socket', async () => {
    const { key, apiKey } = await createKey(member.token, { scopes: ['honey-jars:read'] });
    const client = createClient({
      url: it_.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${key}` },
      retryAttempts: 0,
      on: { closed: (event) => void (closed = (event as { code: number }).code) },
    });
    let closed: number | undefined;
    const query = () =>
      new Promise<unknown>((resolve) => {
        client.subscribe(
          { query: ME },
          { next: resolve, error: (err) => resolve({ error: err }), complete: () => undefined },
        );
      });
    try {
      expect(((await query()) as any).data.me.id).toBe(member.id);
      // Cached in the gateway now.
      expect((await postGraphQL(it_.url, ME, bearer(key))).status).toBe(200);
      const revoked = await graphql(
        it_.url,
        'mutation ($id: ID!) { revokeApiKey(id: $id) }',
        { id: apiKey.id },
        member.token,
      );
      expect(revoked.data.revokeApiKey).toBe(true);
      const after = await postGraphQL(it_.url, ME, bearer(key));
      expect(after.status).toBe(401);
      expect(after.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect((await rest(base, 'GET', '/api/v1/honey-pots', xApiKey(key))).status).toBe(401);
      await query();
      await waitFor(() => closed === 4401, { timeoutMs: 5_000, what: 'the socket to close with 4401' });
    } finally {
      await client.dispose();
    }
  });

  it('records when it was last used', async () => {
    const { key, apiKey } = await createKey(member.token, { scopes: ['search'] });
    expect(apiKey.lastUsedAt).toBeNull();
    const before = Date.now();
    await postGraphQL(it_.url, ME, xApiKey(key));
    const listed = await graphql(it_.url, '{ apiKeys { id lastUsedAt } }', {}, member.token);
    const used = listed.data.apiKeys.find((k: { id: string }) => k.id === apiKey.id).lastUsedAt;
    expect(Date.parse(used)).toBeGreaterThanOrEqual(before - 1000);
    const { rows } = await db.query(
      `select action, api_key_id from identity.audit_event where target_id = $1 and action = 'api_key.used'`,
      [apiKey.id],
    );
    expect(rows).toEqual([{ action: 'api_key.used', api_key_id: apiKey.id }]);
  });

  it('cannot create keys', async () => {
    const { key } = await createKey(member.token, { scopes: ['honey-jars:read', 'honey-jars:write'] });
    const child = await graphql(it_.url, CREATE_KEY, { i: { name: 'child', scopes: ['search'] } }, key);
    expect(child.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it.each([
    ['Basic', { authorization: 'Basic bWVtYmVyOnBhc3N3b3Jk' }],
    ['Bearer a b c', { authorization: 'Bearer a b c' }],
    ['an empty Bearer', { authorization: 'Bearer ' }],
    ['an X-API-Key that is no key', { 'x-api-key': 'hunter2' }],
  ])('answers %s with 401 instead of serving it anonymous', async (_, headers: Headers) => {
    const graph = await postGraphQL(it_.url, ME, headers);
    expect(graph.status).toBe(401);
    expect(graph.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    // Told how to send a credential, not that a session expired.
    expect(graph.body.errors[0].message).toMatch(/Authorization: Bearer .*X-API-Key/);
    expect(graph.headers.get('www-authenticate')).toBe('Bearer error="invalid_request"');
    const rested = await rest(base, 'GET', '/api/v1/honey-pots', headers);
    expect(rested.status).toBe(401);
    expect(rested.body.error).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(rested.body.error.message).toMatch(/Authorization: Bearer .*X-API-Key/);
    expect(typeof rested.body.error.request_id).toBe('string');
    const { closed } = await overSocket(it_.url, headers, ME);
    expect(closed).toBe(4401);
  });
});

describe("an API key's own rate-limit bucket", () => {
  let it_: IntegrationPlatform;
  const LIMIT = 12;
  beforeAll(async () => {
    it_ = await startIntegrationPlatform('embedded', {
      redisUrl: process.env.REDIS_URL,
      configure: (config: StingConfig) =>
        ({
          ...config,
          gateway: {
            ...config.gateway,
            rateLimit: { ...config.gateway.rateLimit, requestsPerMinute: LIMIT },
          },
        }) as StingConfig,
    });
  }, 90_000);
  afterAll(async () => {
    await it_?.stop();
  });

  it("lets a key exhaust its budget without starving its owner's session", async () => {
    const token = await signIn(it_.url, ADMIN.email, ADMIN.password);
    const { data } = await graphql(it_.url, CREATE_KEY, { i: { name: 'busy', scopes: ['search'] } }, token);
    const key = data.createApiKey.key as string;
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT + 3; i++) statuses.push((await postGraphQL(it_.url, ME, bearer(key))).status);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(3);
    const limited = await postGraphQL(it_.url, ME, bearer(key));
    expect(limited.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    // The owner's session has its own budget (only sign-in and key creation spent from it).
    const own = await postGraphQL(it_.url, ME, bearer(token));
    expect(own.status).toBe(200);
    expect(own.body.data.me.email).toBe(ADMIN.email);
  });
});
