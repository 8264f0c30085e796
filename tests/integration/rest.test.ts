// The REST compatibility routes through the real pipeline against the real subgraphs (embedded topology): the
// honey-pot lifecycle, paging with the real cursors, and the refusals (401, 403/404, 405, CSRF, NUL bytes, forged
// cursors), in the REST error shape with the request id.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { ADMIN, graphql, startIntegrationPlatform, type IntegrationPlatform } from './platform.ts';

let it_: IntegrationPlatform;
let base: string;
let admin: string;
let member: string;

const LOGIN = 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';

async function call(
  method: string,
  path: string,
  token?: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(base + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  it_ = await startIntegrationPlatform('embedded');
  base = it_.url.replace('/graphql', '');
  admin = (await graphql(it_.url, LOGIN, { e: ADMIN.email, p: ADMIN.password })).data.login.token;
  await graphql(
    it_.url,
    'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }',
    {
      i: { email: 'rest-member@example.com', displayName: 'Rest Member', password: 'a long enough password' },
    },
    admin,
  );
  member = (await graphql(it_.url, LOGIN, { e: 'rest-member@example.com', p: 'a long enough password' })).data
    .login.token;
}, 60_000);
afterAll(() => it_?.stop());

describe('REST honey pots on the real subgraphs', () => {
  it('creates, reads, updates and deletes a honey pot', async () => {
    const created = await call('POST', '/api/v1/honey-pots', admin, {
      name: 'Field notes',
      type: 'PRIVATE',
      tags: ['bees'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ api_version: '1.0', data: { name: 'Field notes', tags: ['bees'] } });
    const id = created.body.data.id as string;
    expect(created.headers.get('location')).toBe(`/api/v1/honey-pots/${id}`);
    expect(created.body.data.owner.display_name).toBeDefined();

    expect((await call('GET', `/api/v1/honey-pots/${id}`, admin)).body.data).toMatchObject({
      id,
      name: 'Field notes',
    });
    const updated = await call('PUT', `/api/v1/honey-pots/${id}`, admin, { description: 'Hive inspections' });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toMatchObject({ name: 'Field notes', description: 'Hive inspections' });
    expect((await call('DELETE', `/api/v1/honey-pots/${id}`, admin)).status).toBe(200);
    expect((await call('GET', `/api/v1/honey-pots/${id}`, admin)).status).toBe(404);
  });

  it('pages through the list with the subgraph’s own cursors', async () => {
    for (const name of ['Page A', 'Page B', 'Page C'])
      await call('POST', '/api/v1/honey-pots', member, { name, type: 'PRIVATE' });
    const first = await call('GET', '/api/v1/honey-pots?first=2', member);
    expect(first.status).toBe(200);
    expect(first.body.data.nodes).toHaveLength(2);
    expect(first.body.data.page_info.has_next_page).toBe(true);
    const rest = await call(
      'GET',
      `/api/v1/honey-pots?first=2&after=${encodeURIComponent(first.body.data.page_info.end_cursor)}`,
      member,
    );
    const names = [...first.body.data.nodes, ...rest.body.data.nodes]
      .map((n: { name: string }) => n.name)
      .sort();
    expect(names).toEqual(['Page A', 'Page B', 'Page C']);
  });

  it('answers a forged cursor and a NUL byte with 400 naming the field, never 500', async () => {
    const forged = Buffer.from(JSON.stringify([new Date().toISOString(), 'not-a-uuid'])).toString(
      'base64url',
    );
    const cursor = await call('GET', `/api/v1/honey-pots?after=${forged}`, member);
    expect(cursor.status).toBe(400);
    expect(cursor.body.error).toMatchObject({ code: 'BAD_USER_INPUT' });
    const nul = await call('POST', '/api/v1/honey-pots', member, { name: 'bad\u0000name', type: 'PRIVATE' });
    expect(nul.status).toBe(400);
    expect(nul.body.error.message).toContain('NUL');
    expect(typeof nul.body.error.request_id).toBe('string');
  });

  it('refuses anonymous writes, other people’s jars, wrong methods and unknown routes', async () => {
    expect((await call('POST', '/api/v1/honey-pots', undefined, { name: 'x', type: 'PRIVATE' })).status).toBe(
      401,
    );
    const mine = await call('POST', '/api/v1/honey-pots', admin, { name: 'Admin only', type: 'PRIVATE' });
    const theirs = await call('PUT', `/api/v1/honey-pots/${mine.body.data.id}`, member, { name: 'taken' });
    expect([403, 404]).toContain(theirs.status);
    expect((await call('PATCH', '/api/v1/honey-pots', admin, {})).status).toBe(405);
    expect((await call('GET', '/api/v1/nothing-here', admin)).status).toBe(404);
  });

  it('refuses a cookie-authenticated write from another site, which creates nothing (finding 3)', async () => {
    const before = (await call('GET', '/api/v1/honey-pots?first=100', member)).body.data.nodes.length;
    const forged = await fetch(`${base}/api/v1/honey-pots`, {
      method: 'POST',
      headers: { cookie: `sting_session=${member}`, origin: 'https://evil.example' },
      body: JSON.stringify({ name: 'planted', type: 'PRIVATE' }),
    });
    expect(forged.status).toBe(400);
    const asJson = await fetch(`${base}/api/v1/honey-pots`, {
      method: 'POST',
      headers: {
        cookie: `sting_session=${member}`,
        origin: 'https://evil.example',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ name: 'planted', type: 'PRIVATE' }),
    });
    expect(asJson.status).toBe(403);
    expect((await call('GET', '/api/v1/honey-pots?first=100', member)).body.data.nodes.length).toBe(before);
  });
});
