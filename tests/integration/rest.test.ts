// The REST compatibility routes through the real pipeline against the real subgraphs (embedded topology): the
// honey-pot lifecycle, paging with the real cursors, the answers the OpenAPI document describes, and the refusals
// (400 for bad bodies and parameters, 401, 403/404, 405 with Allow, 429 with Retry-After, CSRF, NUL bytes, lone
// surrogates, forged cursors, times that are not ISO 8601 or fall outside the years 1 to 9999), in the REST error
// shape with the request id.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { request } from 'node:http';
import { ADMIN, graphql, startIntegrationPlatform, type IntegrationPlatform } from './platform.ts';

let it_: IntegrationPlatform;
let base: string;
let admin: string;
let member: string;
let memberId: string;

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
  const created = await graphql(
    it_.url,
    'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }',
    {
      i: { email: 'rest-member@example.com', displayName: 'Rest Member', password: 'a long enough password' },
    },
    admin,
  );
  memberId = created.data.createUser.id;
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
    // Narrowed on the server by part of the name (any case), type and status; a wrong type is the client's 400.
    const named = await call('GET', '/api/v1/honey-pots?name=page%20b&type=PRIVATE&status=ACTIVE', member);
    expect(named.body.data.nodes.map((n: { name: string }) => n.name)).toEqual(['Page B']);
    const blank = await call('GET', '/api/v1/honey-pots?name=%20', member);
    expect([blank.status, blank.body.error.message]).toEqual([400, 'name must be 1 to 120 characters']);
    const wrong = await call('GET', '/api/v1/honey-pots?type=OPEN', member);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toMatch(/^type /);
  });

  it('answers a forged cursor, a NUL byte and a lone surrogate with 400 naming the field, never 500', async () => {
    const forged = Buffer.from(JSON.stringify([new Date().toISOString(), 'not-a-uuid'])).toString(
      'base64url',
    );
    const cursor = await call('GET', `/api/v1/honey-pots?after=${forged}`, member);
    expect(cursor.status).toBe(400);
    expect(cursor.body.error).toMatchObject({ code: 'BAD_USER_INPUT' });
    const nul = await call('POST', '/api/v1/honey-pots', member, { name: 'bad\u0000name', type: 'PRIVATE' });
    expect(nul.status).toBe(400);
    expect(nul.body.error.message).toBe('name contains a NUL character, which is not allowed');
    expect(typeof nul.body.error.request_id).toBe('string');
    // `\udc00` in the JSON body: valid UTF-8, but no character; never a 500 or a name stored with U+FFFD.
    const lone = await call('POST', '/api/v1/honey-pots', member, { name: 'bad\udc00name', type: 'PRIVATE' });
    expect([lone.status, lone.body.error]).toEqual([
      400,
      expect.objectContaining({
        code: 'BAD_USER_INPUT',
        message: 'name contains a lone UTF-16 surrogate, which is not valid Unicode',
        request_id: expect.any(String),
      }),
    ]);
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

describe('REST members, people and the review queue', () => {
  /** Uploads one text file as `token` (multipart, as curl sends it): the created document. */
  async function upload(token: string, jarId: string, text: string) {
    const form = new FormData();
    form.append('file', new Blob([text], { type: 'text/plain' }), 'notes.txt');
    const response = await fetch(`${base}/api/v1/honey-pots/${jarId}/upload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    const body = (await response.json()) as any;
    expect([response.status, body.error]).toEqual([202, undefined]);
    return body.data[0];
  }

  it('finds a person, adds them to a TEAM jar, lists its members and takes their access away', async () => {
    const found = await call('GET', '/api/v1/people?q=rest%20mem', admin);
    expect(found.status).toBe(200);
    expect(found.body.data).toEqual([
      { id: memberId, display_name: 'Rest Member', email: 'rest-member@example.com' },
    ]);
    const short = await call('GET', '/api/v1/people?q=r', admin);
    expect(short.status).toBe(400);

    const jar = (await call('POST', '/api/v1/honey-pots', admin, { name: 'Apiary crew', type: 'TEAM' })).body
      .data;
    expect((await call('GET', `/api/v1/honey-pots/${jar.id}`, member)).status).toBe(404);
    // No body to send, but a write still says it is JSON (a form cannot, so a cross-site page cannot).
    const added = await call('PUT', `/api/v1/honey-pots/${jar.id}/members/${memberId}`, admin, {});
    expect([added.status, added.body.data.id]).toEqual([200, jar.id]);
    expect((await call('PUT', `/api/v1/honey-pots/${jar.id}/members/${memberId}`, admin, {})).status).toBe(
      200,
    );
    const members = await call('GET', `/api/v1/honey-pots/${jar.id}/members?first=1`, member);
    expect(members.body).toMatchObject({
      data: {
        nodes: [{ id: memberId, display_name: 'Rest Member', deleted: false }],
        page_info: { has_next_page: false },
        total_count: 1,
      },
    });
    // A member may read the jar and its members, not change who they are.
    const refused = await call('DELETE', `/api/v1/honey-pots/${jar.id}/members/${memberId}`, member);
    expect(refused.status).toBe(403);
    const badUser = await call('PUT', `/api/v1/honey-pots/${jar.id}/members/not-an-id`, admin, {});
    expect([badUser.status, badUser.body.error.code]).toEqual([400, 'BAD_USER_INPUT']);
    expect(badUser.body.error.message).toMatch(/user_id/);
    const removed = await call('DELETE', `/api/v1/honey-pots/${jar.id}/members/${memberId}`, admin);
    expect(removed.status).toBe(200);
    expect((await call('GET', `/api/v1/honey-pots/${jar.id}/members`, member)).status).toBe(404);
    expect((await call('GET', `/api/v1/honey-pots/${jar.id}/members`, admin)).body.data.total_count).toBe(0);
    const privateJar = (await call('POST', '/api/v1/honey-pots', admin, { name: 'Mine', type: 'PRIVATE' }))
      .body.data;
    const noMembers = await call('PUT', `/api/v1/honey-pots/${privateJar.id}/members/${memberId}`, admin, {});
    expect([noMembers.status, noMembers.body.error.message]).toEqual([
      400,
      'A PRIVATE honey jar has no members: only TEAM and RESTRICTED jars are shared with chosen people',
    ]);
  });

  it("reviews proposals to a PUBLIC jar: the owner's queue, approve, reject, then reprocess", async () => {
    const jar = (await call('POST', '/api/v1/honey-pots', admin, { name: 'Open apiary', type: 'PUBLIC' }))
      .body.data;
    const kept = await upload(member, jar.id, 'Swarm traps go up in early May near the old lime tree.');
    const turned = await upload(member, jar.id, 'A second proposal about varroa counts in the autumn.');
    expect([kept.processing_status, turned.processing_status]).toEqual(['PENDING_REVIEW', 'PENDING_REVIEW']);
    expect(kept.honey_jar).toEqual({ id: jar.id });

    // The proposer neither sees the owner's queue nor decides on their own proposal.
    expect(
      (await call('GET', `/api/v1/review-queue?honey_jar=${jar.id}`, member)).body.data.total_count,
    ).toBe(0);
    expect((await call('POST', `/api/v1/documents/${kept.id}/approve`, member, {})).status).toBe(403);
    const queue = await call('GET', `/api/v1/review-queue?honey_jar=${jar.id}&first=1`, admin);
    expect(queue.status).toBe(200);
    expect(queue.body.data.total_count).toBe(2);
    expect(queue.body.data.nodes).toEqual([
      expect.objectContaining({ id: kept.id, uploaded_by: { id: memberId, display_name: 'Rest Member' } }),
    ]);
    const next = await call(
      'GET',
      `/api/v1/review-queue?honey_jar=${jar.id}&after=${encodeURIComponent(queue.body.data.page_info.end_cursor)}`,
      admin,
    );
    expect(next.body.data.nodes.map((d: { id: string }) => d.id)).toEqual([turned.id]);

    const approved = await call('POST', `/api/v1/documents/${kept.id}/approve`, admin, {});
    expect([approved.status, approved.body.data.id]).toEqual([200, kept.id]);
    expect(approved.body.data.processing_status).not.toBe('PENDING_REVIEW');
    const again = await call('POST', `/api/v1/documents/${kept.id}/approve`, admin, {});
    expect([again.status, again.body.error.message]).toEqual([400, 'The document is not waiting for review']);
    const rejected = await call('POST', `/api/v1/documents/${turned.id}/reject`, admin, {});
    expect([rejected.status, rejected.body.data]).toEqual([200, true]);
    expect((await call('GET', `/api/v1/documents/${turned.id}`, admin)).status).toBe(404);
    expect((await call('POST', `/api/v1/documents/${turned.id}/reject`, admin, {})).status).toBe(404);
    expect((await call('GET', `/api/v1/review-queue?honey_jar=${jar.id}`, admin)).body.data.total_count).toBe(
      0,
    );

    const reprocessed = await call('POST', `/api/v1/documents/${kept.id}/reprocess`, admin, {});
    expect([reprocessed.status, reprocessed.body.data.processing_status]).toEqual([200, 'PENDING']);
    // A write with no JSON content type (what a cross-site form sends) changes nothing.
    const form = await fetch(`${base}/api/v1/documents/${kept.id}/reprocess`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'x=1',
    });
    expect(form.status).toBe(400);
  });
});

describe('REST answers and errors as the OpenAPI document describes them', () => {
  const json = (token: string) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' });
  const raw = async (method: string, path: string, headers: Record<string, string>, body?: string) => {
    const response = await fetch(base + path, { method, headers, body });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
  function expectErrorShape(body: any, code: string) {
    expect(body.error).toEqual({
      code,
      message: expect.any(String),
      timestamp: expect.stringMatching(/Z$/),
      request_id: expect.any(String),
    });
  }

  it('answers exactly the fields the document describes, and serves the document', async () => {
    const served = await fetch(`${base}/api/v1/openapi.json`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toMatch(/application\/json/);
    const doc = await served.json();
    expect(doc.openapi).toBe('3.1.0');
    const created = await call('POST', '/api/v1/honey-pots', member, {
      name: 'Described',
      description: 'Hive inspections',
      type: 'TEAM',
    });
    const read = await call('GET', `/api/v1/honey-pots/${created.body.data.id}`, member);
    const described =
      doc.paths['/api/v1/honey-pots/{id}'].get.responses['200'].content['application/json'].schema.properties
        .data;
    expect(Object.keys(read.body.data).sort()).toEqual([...described.required].sort());
    expect(Object.keys(read.body.data.owner).sort()).toEqual([...described.properties.owner.required].sort());
    expect(read.body.data).toMatchObject({ name: 'Described', type: 'TEAM', status: 'ACTIVE' });
    expect(read.body.data.created_at).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);

    const documents = await call('GET', `/api/v1/honey-pots/${created.body.data.id}/documents`, member);
    expect(documents).toMatchObject({
      status: 200,
      body: {
        api_version: '1.0',
        data: { nodes: [], page_info: { has_next_page: false, end_cursor: null }, total_count: 0 },
      },
    });
    const status = await call('GET', '/api/beeacon/status', admin);
    expect(status.status).toBe(200);
    expect(status.body.data.components.map((c: { name: string }) => c.name)).toContain('postgresql');
    expect(status.body.data.checked_at).toMatch(/Z$/);
  });

  it('400 BAD_USER_INPUT for an empty name, a missing field, a wrong enum and a non-integer page size', async () => {
    const empty = await raw('POST', '/api/v1/honey-pots', json(member), '{"name":"","type":"PRIVATE"}');
    expect(empty.status).toBe(400);
    expectErrorShape(empty.body, 'BAD_USER_INPUT');
    expect(empty.body.error.message).toMatch(/name/i);
    const missing = await raw('POST', '/api/v1/honey-pots', json(member), '{"description":"x"}');
    expect([missing.status, missing.body.error.message]).toEqual([400, 'name is required']);
    // Named as the client sent it: the body's field, the query parameter (not GraphQL's $input or $first).
    const badType = await raw('POST', '/api/v1/honey-pots', json(member), '{"name":"x","type":"OPEN"}');
    expect(badType.status).toBe(400);
    expect(badType.body.error.message).toMatch(/^type got invalid value "OPEN"; /);
    const badFirst = await call('GET', '/api/v1/honey-pots?first=ten', member);
    expect(badFirst.status).toBe(400);
    expectErrorShape(badFirst.body, 'BAD_USER_INPUT');
    expect(badFirst.body.error.message).toBe('first must be an integer');
    for (const path of ['/api/v1/honey-pots', '/api/v1/documents', '/api/v1/documents?limit=5']) {
      const badCursor = await call('GET', `${path}${path.includes('?') ? '&' : '?'}after=page-two`, member);
      expect([badCursor.status, badCursor.body.error.message]).toEqual([400, 'after is not a valid cursor']);
    }
  });

  it('400 naming the parameter for a time that is not ISO 8601 or falls outside the years 1 to 9999, never 500', async () => {
    const far = encodeURIComponent('+275760-09-13T00:00:00Z');
    for (const [method, path, token, body, parameter] of [
      ['GET', `/api/v1/documents?from=${far}`, member, undefined, 'from'],
      ['GET', '/api/v1/documents?to=-000001-01-01T00:00:00Z', member, undefined, 'to'],
      ['GET', '/api/v1/documents?from=1', member, undefined, 'from'],
      ['GET', `/api/v1/audit?from=${far}`, admin, undefined, 'from'],
      [
        'GET',
        `/api/beeacon/alerts?since=${encodeURIComponent('+010000-01-01T00:00:00Z')}`,
        admin,
        undefined,
        'since',
      ],
      ['GET', '/api/beeacon/logs?until=-271821-04-20T00:00:00Z', admin, undefined, 'until'],
      ['GET', `/api/beeacon/logs?since=${encodeURIComponent('Dec 7 2026')}`, admin, undefined, 'since'],
      [
        'POST',
        '/api/beeacon/health-report',
        admin,
        { from: '+010000-01-01T00:00:00Z', to: '+010000-02-01T00:00:00Z', format: 'PDF' },
        'from',
      ],
    ] as const) {
      const refused = await call(method, path, token, body);
      expect([path, refused.status]).toEqual([path, 400]);
      expectErrorShape(refused.body, 'BAD_USER_INPUT');
      expect(refused.body.error.message).toMatch(new RegExp(`^${parameter} `));
    }
    // The same over GraphQL, as a literal and as a variable: refused before anything is stored.
    const key = await graphql(
      it_.url,
      'mutation { createApiKey(input: { name: "far", scopes: ["search"], expiresAt: "+010000-01-01T00:00:00Z" }) { key } }',
      {},
      member,
    );
    expect(key.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const series = await graphql(
      it_.url,
      'query ($s: DateTime, $u: DateTime) { pollenFilterStats { timeSeries(since: $s, until: $u) { minute } } }',
      { s: '-271821-04-20T00:00:00Z', u: '-271821-04-21T00:00:00Z' },
      admin,
    );
    expect(series.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const keys = await graphql(it_.url, '{ apiKeys { name } }', {}, member);
    expect(keys.data.apiKeys.map((k: { name: string }) => k.name)).not.toContain('far');
  });

  it('takes enum values in any case, or with - for _, in query parameters and bodies', async () => {
    const created = await raw(
      'POST',
      '/api/v1/honey-pots',
      json(member),
      JSON.stringify({ name: `Lower-case type ${Date.now()}`, type: 'team' }),
    );
    expect(created.status).toBe(201);
    expect(created.body.data.type).toBe('TEAM');
    const listed = await call('GET', '/api/v1/honey-pots?type=team&status=active', member);
    expect(listed.status).toBe(200);
    expect(listed.body.data.nodes.map((jar: { id: string }) => jar.id)).toContain(created.body.data.id);
    // A value no enum value is spelled like is still GraphQL's 400, with its suggestion.
    const wrong = await call('GET', '/api/v1/honey-pots?type=teams', member);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.message).toMatch(/^type got invalid value "teams"/);
  });

  it('400 naming the parameters a route takes for one it does not: a page size under another name is not ignored', async () => {
    const limit = await call('GET', '/api/v1/honey-pots?limit=5', member);
    expect(limit.status).toBe(400);
    expectErrorShape(limit.body, 'BAD_USER_INPUT');
    expect(limit.body.error.message).toBe(
      'Unknown query parameter "limit": it takes first, after, name, type, status',
    );
    const none = await call('GET', '/api/beeacon/status?verbose=1', member);
    expect([none.status, none.body.error.message]).toEqual([
      400,
      'Unknown query parameter "verbose": it takes none',
    ]);
    // Either spelling of a parameter is taken, as in bodies.
    const camel = await call(
      'GET',
      '/api/v1/documents?honeyJar=00000000-0000-4000-8000-000000000000',
      member,
    );
    expect(camel.status).toBe(200);
    // A parameter that takes one value, given twice (in one spelling or both), is refused, not one of them guessed.
    for (const query of ['first=1&first=50', 'honey_jar=a&honeyJar=b']) {
      const twice = await call(
        'GET',
        `/api/v1/${query.startsWith('first') ? 'honey-pots' : 'documents'}?${query}`,
        member,
      );
      expect(twice.status).toBe(400);
      expectErrorShape(twice.body, 'BAD_USER_INPUT');
      expect(twice.body.error.message).toMatch(/^(first|honey_jar) is given 2 times: give it once$/);
    }
    // A value whose bytes are not UTF-8 is refused, naming it, not searched for with U+FFFD in their place.
    const latin1 = await call('GET', '/api/v1/search?q=caf%E9', member);
    expect(latin1.status).toBe(400);
    expectErrorShape(latin1.body, 'BAD_USER_INPUT');
    expect(latin1.body.error.message).toBe('q is not valid UTF-8 percent-encoding');
    const name = await call('GET', '/api/v1/search?q=honey&%FF=1', member);
    expect([name.status, name.body.error.message]).toEqual([
      400,
      'A query parameter name is not valid UTF-8 percent-encoding',
    ]);
    // Encoded UTF-8, and a + for a space, are read as meant.
    expect((await call('GET', '/api/v1/search?q=caf%C3%A9+au+lait', member)).status).toBe(200);
  });

  it('400 for malformed JSON, a body that is not an object, and bodies over the limit (declared or chunked)', async () => {
    const broken = await raw('POST', '/api/v1/honey-pots', json(member), '{"name": ');
    expect(broken.status).toBe(400);
    expect(broken.body.error.message).toMatch(/JSON/);
    expect((await raw('POST', '/api/v1/honey-pots', json(member), '[1,2]')).status).toBe(400);
    const big = await raw(
      'POST',
      '/api/v1/honey-pots',
      json(member),
      JSON.stringify({ name: 'big', type: 'PRIVATE', description: 'x'.repeat(1024 * 1024 + 10) }),
    );
    expect(big.status).toBe(400);
    expect(big.body.error.message).toMatch(/larger than/);
    // No Content-Length to trust: the limit applies while reading.
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${base}/api/v1/honey-pots`, { method: 'POST', headers: json(member) }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.write('{"description":"');
      req.write('x'.repeat(1024 * 1024));
      req.end('"}');
    });
    expect(chunked.status).toBe(400);
    expect(JSON.parse(chunked.body).error.code).toBe('BAD_USER_INPUT');
  });

  it('400 for a body that is not UTF-8 or is nested past 64 levels, and a "__proto__" field is only an unknown field: nothing is made', async () => {
    const before = (await call('GET', '/api/v1/honey-pots?first=50', member)).body.data.nodes.length;
    const send = async (body: BodyInit) => {
      const response = await fetch(base + '/api/v1/honey-pots', {
        method: 'POST',
        headers: json(member),
        body,
      });
      return { status: response.status, body: (await response.json()) as any };
    };
    // "name": "a\xff\xfeb": stored, it would have read a��b.
    const latin = await send(
      new Uint8Array(
        Buffer.concat([Buffer.from('{"name":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('b"}')]),
      ),
    );
    expect(latin.status).toBe(400);
    expectErrorShape(latin.body, 'BAD_USER_INPUT');
    expect(latin.body.error.message).toBe('The request body is not valid UTF-8');
    // 100,000 levels used to overflow the stack while renaming the body's keys: a 500.
    const deep = await send(`{"name":"deep","tags":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    expect(deep.status).toBe(400);
    expect(deep.body.error.message).toBe('The request body is nested more than 64 levels deep');
    // Assigned while renaming keys, "__proto__" became the body object's prototype and vanished from its fields.
    const proto = await send('{"name":"proto","__proto__":{"type":"PUBLIC"}}');
    expect(proto.status).toBe(400);
    expect(proto.body.error.message).toBe('__proto__ is not a field of this body');
    expect((await call('GET', '/api/v1/honey-pots?first=50', member)).body.data.nodes).toHaveLength(before);
    // Bee's chat reads its body the same way.
    const chat = await fetch(base + '/api/bee/chat', {
      method: 'POST',
      headers: json(member),
      body: `{"message":${'['.repeat(1000)}${']'.repeat(1000)}}`,
    });
    expect(chat.status).toBe(400);
    expect(((await chat.json()) as any).error.message).toBe(
      'The request body is nested more than 64 levels deep',
    );
  });

  it('401 without a session, 403 on a visible jar of someone else, 404 naming an unknown id, 405 with Allow', async () => {
    const anonymous = await raw('GET', '/api/v1/honey-pots', {});
    expect(anonymous.status).toBe(401);
    expectErrorShape(anonymous.body, 'UNAUTHENTICATED');
    const team = await call('POST', '/api/v1/honey-pots', admin, { name: 'Everyone reads', type: 'PUBLIC' });
    const refused = await call('DELETE', `/api/v1/honey-pots/${team.body.data.id}`, member);
    expect(refused.status).toBe(403);
    expectErrorShape(refused.body, 'FORBIDDEN');
    expect((await call('GET', `/api/v1/honey-pots/${team.body.data.id}`, admin)).status).toBe(200);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const read = await call('GET', `/api/v1/honey-pots/${unknown}`, member);
    expect(read.status).toBe(404);
    expectErrorShape(read.body, 'NOT_FOUND');
    expect(read.body.error.message).toContain(unknown);
    expect((await call('PUT', `/api/v1/honey-pots/${unknown}`, member, { name: 'x' })).status).toBe(404);
    const wrong = await call('PATCH', `/api/v1/honey-pots/${unknown}`, member);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, PUT, DELETE');
    expectErrorShape(wrong.body, 'METHOD_NOT_ALLOWED');
    const route = await call('GET', '/api/v1/hives', member);
    expect(route.status).toBe(404);
    expectErrorShape(route.body, 'NOT_FOUND');
  });
});

describe('REST rate limit', () => {
  let limited: IntegrationPlatform;
  afterAll(() => limited?.stop());

  it('429 with Retry-After and the error shape once the budget is spent', async () => {
    limited = await startIntegrationPlatform('embedded', {
      configure: (config) =>
        ({
          ...config,
          gateway: { ...config.gateway, rateLimit: { ...config.gateway.rateLimit, requestsPerMinute: 3 } },
        }) as typeof config,
    });
    const url = limited.url.replace('/graphql', '');
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 6; i++) {
      last = await fetch(`${url}/api/v1/honey-pots`);
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await last!.json()).error).toMatchObject({
      code: 'RATE_LIMITED',
      request_id: expect.any(String),
    });
  }, 60_000);
});
