// REST compatibility routes over real HTTP, against a real in-memory GraphQL honey-jar service.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { request } from 'node:http';
import { handleRest } from '../src/rest/index.ts';
import { createHoneyJarService, createTestRunner } from './honey-jar-fixture.ts';
import { serve } from './serve.ts';

const service = createHoneyJarService();
const runner = createTestRunner(service);
let base: string;
let close: () => Promise<void>;

const auth = { authorization: 'Bearer beekeeper' };
const json = { ...auth, 'content-type': 'application/json' };

async function call(
  method: string,
  path: string,
  init: { headers?: Record<string, string>; body?: string } = {},
) {
  const res = await fetch(base + path, { method, headers: init.headers ?? auth, body: init.body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

beforeAll(async () => {
  ({ url: base, close } = await serve((req, res) => handleRest(req, res, runner)));
});
afterAll(() => close());

describe('REST honey pots', () => {
  it('creates a honey pot from a snake_case body and answers 201 in the envelope', async () => {
    const res = await call('POST', '/api/v1/honey-pots', {
      headers: json,
      body: JSON.stringify({
        name: 'Field notes',
        description: 'Hive inspections',
        type: 'TEAM',
        tags: ['bees'],
      }),
    });
    expect(res.status).toBe(201);
    expect(res.body.api_version).toBe('1.0');
    expect(res.body.data).toMatchObject({
      name: 'Field notes',
      type: 'TEAM',
      tags: ['bees'],
      owner: { id: 'u-1', display_name: 'Beekeeper' },
    });
    expect(res.body.data.updated_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(res.body.data.created_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(res.headers.get('location')).toBe(`/api/v1/honey-pots/${res.body.data.id}`);
    expect(service.jars.get(res.body.data.id)?.name).toBe('Field notes');
  });

  it('reads, updates and deletes one honey pot', async () => {
    const jar = service.add({ id: 'u-1', displayName: 'Beekeeper' }, { name: 'Recipes' });
    const read = await call('GET', `/api/v1/honey-pots/${jar.id}`);
    expect(read.status).toBe(200);
    expect(read.body.data).toMatchObject({ id: jar.id, name: 'Recipes', status: 'ACTIVE' });

    const updated = await call('PUT', `/api/v1/honey-pots/${jar.id}`, {
      headers: json,
      body: JSON.stringify({ description: 'Family recipes' }),
    });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toMatchObject({ name: 'Recipes', description: 'Family recipes' });

    const deleted = await call('DELETE', `/api/v1/honey-pots/${jar.id}`);
    expect(deleted).toMatchObject({ status: 200, body: { api_version: '1.0', data: true } });
    expect(service.jars.has(jar.id)).toBe(false);
    expect((await call('DELETE', `/api/v1/honey-pots/${jar.id}`)).status).toBe(404);
  });

  it('pages through the list with first and after', async () => {
    for (const name of ['A', 'B', 'C']) service.add({ id: 'u-1', displayName: 'Beekeeper' }, { name });
    const total = service.jars.size;
    const first = await call('GET', '/api/v1/honey-pots?first=2');
    expect(first.status).toBe(200);
    expect(first.body.data.nodes).toHaveLength(2);
    expect(first.body.data.page_info).toEqual({
      has_next_page: true,
      end_cursor: first.body.data.nodes[1].id,
    });
    const rest = await call(
      'GET',
      `/api/v1/honey-pots?first=100&after=${first.body.data.page_info.end_cursor}`,
    );
    expect(rest.body.data.nodes).toHaveLength(total - 2);
    expect(rest.body.data.page_info.has_next_page).toBe(false);
  });

  it('lists the documents of a honey pot as the data itself', async () => {
    const jar = service.add({ id: 'u-1', displayName: 'Beekeeper' }, { name: 'Docs' });
    jar.documents.push({
      id: 'd-1',
      title: 'Swarm season',
      fileType: 'pdf',
      contentHash: 'abc',
      processingStatus: 'READY',
      chunkCount: 4,
      createdAt: '2025-01-01T00:00:00.000Z',
    });
    const res = await call('GET', `/api/v1/honey-pots/${jar.id}/documents`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([
      expect.objectContaining({ id: 'd-1', file_type: 'pdf', processing_status: 'READY', chunk_count: 4 }),
    ]);
    expect((await call('GET', '/api/v1/honey-pots/hj-missing/documents')).status).toBe(404);
  });

  it('answers the Beeacon status', async () => {
    const res = await call('GET', '/api/beeacon/status');
    expect(res).toMatchObject({ status: 200, body: { data: { status: 'OK' } } });
    expect(res.body.data.components[0]).toEqual({
      name: 'postgres',
      kind: 'DATABASE',
      up: true,
      latency_ms: 1.5,
      detail: null,
    });
    expect(res.body.data.checked_at).toMatch(/Z$/);
  });

  it('hands the caller’s Authorization header to the runner unchanged', async () => {
    runner.seen.length = 0;
    await call('GET', '/api/v1/honey-pots', { headers: { authorization: 'Bearer visitor' } });
    expect(runner.seen).toEqual(['Bearer visitor']);
  });
});

describe('REST errors', () => {
  function expectErrorShape(body: any, code: string) {
    expect(body.error).toEqual({
      code,
      message: expect.any(String),
      timestamp: expect.stringMatching(/Z$/),
      request_id: expect.any(String),
    });
  }

  it('400 BAD_USER_INPUT for an empty name', async () => {
    const res = await call('POST', '/api/v1/honey-pots', { headers: json, body: '{"name":""}' });
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 'BAD_USER_INPUT');
    expect(res.body.error.message).toMatch(/name/);
  });

  it('400 for a missing required field, a wrong enum, and a non-integer page size', async () => {
    const missing = await call('POST', '/api/v1/honey-pots', { headers: json, body: '{"description":"x"}' });
    expect(missing.status).toBe(400);
    const badType = await call('POST', '/api/v1/honey-pots', {
      headers: json,
      body: '{"name":"x","type":"OPEN"}',
    });
    expect(badType.status).toBe(400);
    const badFirst = await call('GET', '/api/v1/honey-pots?first=ten');
    expect(badFirst.status).toBe(400);
    expectErrorShape(badFirst.body, 'BAD_USER_INPUT');
  });

  it('400 for malformed JSON and for a body that is not an object', async () => {
    const broken = await call('POST', '/api/v1/honey-pots', { headers: json, body: '{"name": ' });
    expect(broken.status).toBe(400);
    expect(broken.body.error.message).toMatch(/JSON/);
    const list = await call('POST', '/api/v1/honey-pots', { headers: json, body: '[1,2]' });
    expect(list.status).toBe(400);
  });

  it('400 for a body over the limit, without reading it all', async () => {
    const res = await call('POST', '/api/v1/honey-pots', {
      headers: json,
      body: JSON.stringify({ name: 'big', description: 'x'.repeat(1024 * 1024 + 10) }),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/larger than/);
  });

  it('400 for a chunked body over the limit (no Content-Length to trust)', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${base}/api/v1/honey-pots`, { method: 'POST', headers: json }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.write('{"description":"');
      req.write('x'.repeat(1024 * 1024));
      req.end('"}');
    });
    expect(status).toBe(400);
    expect(JSON.parse(body).error.code).toBe('BAD_USER_INPUT');
  });

  it('401 without a session', async () => {
    const res = await call('GET', '/api/v1/honey-pots', { headers: {} });
    expect(res.status).toBe(401);
    expectErrorShape(res.body, 'UNAUTHENTICATED');
  });

  it('403 when changing someone else’s honey pot', async () => {
    const jar = service.add({ id: 'u-9', displayName: 'Other' }, { name: 'Theirs' });
    const res = await call('DELETE', `/api/v1/honey-pots/${jar.id}`);
    expect(res.status).toBe(403);
    expectErrorShape(res.body, 'FORBIDDEN');
    expect(service.jars.has(jar.id)).toBe(true);
  });

  it('404 for an unknown id, on read and on update', async () => {
    const read = await call('GET', '/api/v1/honey-pots/hj-nope');
    expect(read.status).toBe(404);
    expectErrorShape(read.body, 'NOT_FOUND');
    expect(read.body.error.message).toContain('hj-nope');
    const update = await call('PUT', '/api/v1/honey-pots/hj-nope', { headers: json, body: '{"name":"x"}' });
    expect(update.status).toBe(404);
  });

  it('404 for an unknown route under /api, and declines paths outside it', async () => {
    const res = await call('GET', '/api/v1/hives');
    expect(res.status).toBe(404);
    expectErrorShape(res.body, 'NOT_FOUND');
    const outside = await fetch(`${base}/graphql`);
    expect(outside.status).toBe(418);
  });

  it('405 with Allow for a wrong method on a known route', async () => {
    const res = await call('PATCH', '/api/v1/honey-pots/hj-1');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, PUT, DELETE');
    expectErrorShape(res.body, 'METHOD_NOT_ALLOWED');
  });

  it('429 with Retry-After when rate limited', async () => {
    const res = await call('GET', '/api/v1/honey-pots', { headers: { authorization: 'Bearer swarm' } });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expectErrorShape(res.body, 'RATE_LIMITED');
  });

  it('500 masked: nothing of the internal error reaches the client', async () => {
    const res = await fetch(`${base}/api/v1/honey-pots/hj-broken`, {
      headers: { ...auth, 'x-request-id': 'req-42' },
    });
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(text).not.toMatch(/postgres|secret|stack|at /);
    expect(JSON.parse(text).error).toMatchObject({
      code: 'INTERNAL_SERVER_ERROR',
      message: 'Internal server error',
      request_id: 'req-42',
    });
  });

  it('500 masked when the runner itself throws', async () => {
    const seen: unknown[] = [];
    const failing = await serve((req, res) =>
      handleRest(
        req,
        res,
        async () => {
          throw new Error('planner exploded at /srv/gateway.ts:12');
        },
        { requestId: 'fixed-id', onUnexpectedError: (err) => seen.push(err) },
      ),
    );
    try {
      const res = await fetch(`${failing.url}/api/beeacon/status`);
      const body = await res.json();
      expect(res.status).toBe(500);
      expect(body.error).toMatchObject({ message: 'Internal server error', request_id: 'fixed-id' });
      expect(seen).toHaveLength(1);
    } finally {
      await failing.close();
    }
  });
});
