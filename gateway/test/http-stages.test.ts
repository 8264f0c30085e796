// A plain HTTP route (the kind uploads and downloads use) through the pipeline's stages in a running gateway:
// request id, body limit, authentication, CSRF, rate limit, the audit record of every write, error masking in
// the REST shape and the route's metrics.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ForbiddenError } from '@sting/kit';
import type { AuditRecord } from '../src/pipeline/audit.ts';
import type { HttpRoute } from '../src/pipeline/http-route.ts';
import { PIPELINE_STAGES } from '../src/pipeline/stages.ts';
import { startToyPlatform, type ToyPlatform } from './toy-platform.ts';

const audits: AuditRecord[] = [];
const routes: HttpRoute[] = [
  {
    name: 'test.echo',
    method: ['GET', 'POST'],
    path: '/files/:id',
    accepts: ['application/json', 'multipart/form-data'],
    bodyLimitBytes: 64,
    async handle(call) {
      const body = call.req.method === 'POST' ? (await call.readBody()).toString() : '';
      call.audit.target = `file:${call.params.id}`;
      const text = JSON.stringify({
        id: call.params.id,
        viewer: call.viewer,
        body,
        requestId: call.requestId,
      });
      call.res.writeHead(200, { 'content-type': 'application/json' }).end(text);
    },
  },
  {
    name: 'test.fails',
    method: 'POST',
    path: '/fails/:how',
    async handle(call) {
      if (call.params.how === 'typed') throw new ForbiddenError('Not this file');
      throw new Error('database password=hunter2 leaked');
    },
  },
  {
    name: 'test.stream',
    method: 'GET',
    path: '/stream',
    async handle(call) {
      // Far more than a socket buffers, sent as the client reads it (a large download).
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let left = 2048;
      call.res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const source = new Readable({
        read() {
          this.push(left-- > 0 ? chunk : null);
        },
      });
      await pipeline(source, call.res);
    },
  },
  {
    name: 'test.staged',
    method: 'PUT',
    path: '/staged/:token',
    secretParams: ['token'],
    async handle(call) {
      call.res.writeHead(204).end();
    },
  },
  {
    name: 'test.public',
    method: 'GET',
    path: '/public',
    viewer: 'optional',
    async handle(call) {
      const result = await call.runOperation({ query: '{ me { displayName } }' });
      call.res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
    },
  },
];

let platform: ToyPlatform;
let base: string;
const bob = { authorization: 'Bearer bob-token' };

beforeAll(async () => {
  platform = await startToyPlatform('embedded', undefined, undefined, {
    httpRoutes: routes,
    audit: { record: (entry) => void audits.push(entry) },
  });
  base = platform.gateway.url.replace('/graphql', '');
});
afterAll(() => platform.stop());

describe('plain HTTP routes through the pipeline', () => {
  it('lists its stages in the order of the issue', () => {
    expect(PIPELINE_STAGES).toEqual([
      'request id',
      'size limits',
      'authentication',
      'operation limits',
      'rate limit',
      'audit hook',
      'execution',
      'error masking',
      'metrics',
    ]);
  });

  it('hands the handler the request id, viewer and params, with security headers on the answer', async () => {
    const response = await fetch(`${base}/files/f%201`, { headers: { ...bob, 'x-request-id': 'req-files' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('req-files');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const body = (await response.json()) as { id: string; viewer: { id: string }; requestId: string };
    expect(body).toMatchObject({ id: 'f 1', viewer: { id: 'u2' }, requestId: 'req-files' });
  });

  it('refuses anonymous callers with 401 and an invalid token with 401 in the REST error shape', async () => {
    const anonymous = await fetch(`${base}/files/f1`);
    expect(anonymous.status).toBe(401);
    const stale = await fetch(`${base}/files/f1`, { headers: { authorization: 'Bearer nope' } });
    expect(stale.status).toBe(401);
    expect(stale.headers.get('www-authenticate')).toContain('invalid_token');
    const body = (await stale.json()) as { error: { code: string; request_id: string } };
    expect(body.error.code).toBe('UNAUTHENTICATED');
    expect(body.error.request_id).toBe(stale.headers.get('x-request-id'));
  });

  it('refuses a declared body over the route limit before reading it', async () => {
    const response = await fetch(`${base}/files/f1`, {
      method: 'POST',
      headers: { ...bob, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'x'.repeat(100) }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('64 bytes');
  });

  it('applies the CSRF rules to writes: content type, and same origin for cookie sessions', async () => {
    const noType = await fetch(`${base}/files/f1`, { method: 'POST', headers: bob, body: '{}' });
    expect(noType.status).toBe(400);
    const form = await fetch(`${base}/files/f1`, {
      method: 'POST',
      headers: { ...bob, 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(form.status).toBe(400);
    const cookie = { cookie: 'sting_session=bob-token', 'content-type': 'multipart/form-data; boundary=x' };
    const crossSite = await fetch(`${base}/files/f1`, {
      method: 'POST',
      headers: { ...cookie, origin: 'https://evil.example' },
      body: '--x--',
    });
    expect(crossSite.status).toBe(403);
    const sameSite = await fetch(`${base}/files/f1`, {
      method: 'POST',
      headers: { ...cookie, origin: base },
      body: '--x--',
    });
    expect(sameSite.status).toBe(200);
    // Sec-Fetch-Site: cross-site, the browser's own word, is refused whatever Origin says.
    const markedCrossSite = await fetch(`${base}/files/f1`, {
      method: 'POST',
      headers: { ...cookie, origin: base, 'sec-fetch-site': 'cross-site' },
      body: '--x--',
    });
    expect(markedCrossSite.status).toBe(403);
    const withHeader = await fetch(`${base}/files/f1`, {
      method: 'POST',
      headers: { ...cookie, 'x-csrf-token': '1' },
      body: '--x--',
    });
    expect(withHeader.status).toBe(200);
  });

  it('audits every write with actor, action, target, outcome, request id and client address', async () => {
    audits.length = 0;
    await fetch(`${base}/files/f9`, {
      method: 'POST',
      headers: { ...bob, 'content-type': 'application/json', 'x-request-id': 'req-audit' },
      body: '{}',
    });
    await fetch(`${base}/fails/typed`, {
      method: 'POST',
      headers: { ...bob, 'content-type': 'application/json' },
      body: '{}',
    });
    await fetch(`${base}/files/f9`, { headers: bob }); // a read is not audited
    await fetch(`${base}/files/f8`, { headers: { 'x-request-id': 'req-nobody' } }); // a refused one is
    expect(audits).toEqual([
      {
        actor: 'user:u2',
        actorId: 'u2',
        action: 'test.echo',
        target: 'file:f9',
        outcome: 'success',
        requestId: 'req-audit',
        clientAddress: '127.0.0.1',
        via: 'http',
      },
      expect.objectContaining({ action: 'test.fails', outcome: 'denied', code: 'FORBIDDEN' }),
      {
        actor: 'anonymous',
        action: 'test.echo',
        target: '/files/f8',
        outcome: 'denied',
        code: 'UNAUTHENTICATED',
        requestId: 'req-nobody',
        clientAddress: '127.0.0.1',
        via: 'http',
      },
    ]);
  });

  it('records the template, never the path, of a route with a credential in it', async () => {
    audits.length = 0;
    // Refused before the handler could name a target: the audit record falls back to the path.
    await fetch(`${base}/staged/upload-token-secret`, { method: 'PUT' });
    await fetch(`${base}/files/f7`, { method: 'POST' });
    expect(audits.map((a) => [a.action, a.target, a.code])).toEqual([
      ['test.staged', '/staged/:token', 'UNAUTHENTICATED'],
      ['test.echo', '/files/f7', 'UNAUTHENTICATED'],
    ]);
    expect(JSON.stringify(audits)).not.toContain('upload-token-secret');
  });

  it('masks an untyped failure as a 500 in the REST shape, never its message', async () => {
    const response = await fetch(`${base}/fails/boom`, {
      method: 'POST',
      headers: { ...bob, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('hunter2');
    expect(JSON.parse(text).error).toMatchObject({
      code: 'INTERNAL_SERVER_ERROR',
      message: 'Internal server error',
    });
  });

  it('counts a client gone mid-body as 499 and audits it as such, not as a failure of the platform', async () => {
    audits.length = 0;
    await new Promise<void>((resolve) => {
      const req = httpRequest(`${base}/files/f6`, {
        method: 'POST',
        headers: {
          ...bob,
          'content-type': 'application/json',
          'content-length': '60',
          'x-request-id': 'req-gone',
        },
      });
      req.on('error', () => resolve());
      req.write('{"partial":', () => setTimeout(() => req.destroy(), 100));
    });
    while (!audits.some((a) => a.requestId === 'req-gone')) await new Promise((r) => setTimeout(r, 20));
    expect(audits).toEqual([
      expect.objectContaining({ action: 'test.echo', outcome: 'failure', code: 'CLIENT_CLOSED_REQUEST' }),
    ]);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/sting_http_requests_total\{route="test.echo",status="499"\} 1/);
  });

  it('counts a download the client cancels as 499, not as a failure of the platform', async () => {
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${base}/stream`, { headers: bob }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => undefined);
      req.on('close', () => resolve());
      req.once('timeout', () => reject(new Error('no answer')));
      req.end();
    });
    let text = '';
    for (let i = 0; i < 100 && !/route="test.stream"/.test(text); i++) {
      await new Promise((r) => setTimeout(r, 20));
      text = await (await fetch(`${base}/metrics`)).text();
    }
    expect(text).toMatch(/sting_http_requests_total\{route="test.stream",status="499"\} 1/);
    expect(text).not.toMatch(/route="test.stream",status="500"/);
  });

  it('lets an optional-viewer route run GraphQL as the caller', async () => {
    const anonymous = (await (await fetch(`${base}/public`)).json()) as { data: { me: unknown } };
    expect(anonymous.data.me).toBeNull();
    const signedIn = (await (await fetch(`${base}/public`, { headers: bob })).json()) as {
      data: { me: { displayName: string } };
    };
    expect(signedIn.data.me.displayName).toBe('Bob');
  });

  it('counts each route by name and status', async () => {
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/sting_http_requests_total\{route="test.echo",status="200"\} [1-9]/);
    expect(text).toMatch(/sting_http_requests_total\{route="test.fails",status="500"\} 1/);
  });
});
