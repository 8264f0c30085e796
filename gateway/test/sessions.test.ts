// How the gateway treats a session token it cannot resolve: an explicit Bearer token is refused on every front
// door (GraphQL over HTTP, REST, graphql-ws), while a stale cookie stays anonymous and is cleared. Two
// Authorization headers are refused rather than served as the first, and the cookie is Secure only over https the
// gateway can trust (or always, in production).
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { request } from 'node:http';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { postGraphQL, startToyPlatform, type ToyPlatform } from './toy-platform.ts';

const ME = '{ me { id displayName } }';
const MESSAGE = 'Your session has expired or is not valid; sign in again';

describe('session tokens', () => {
  let platform: ToyPlatform;
  beforeAll(async () => {
    platform = await startToyPlatform('embedded');
  });
  afterAll(async () => {
    await platform?.stop();
  });

  it('answers 401 UNAUTHENTICATED with the request id for an unknown Bearer token over HTTP', async () => {
    const result = await postGraphQL(platform.gateway.url, ME, undefined, {
      authorization: 'Bearer no-such-token',
      'x-request-id': 'req-stale-bearer',
    });
    expect(result.status).toBe(401);
    expect(result.body).toEqual({
      errors: [{ message: MESSAGE, extensions: { code: 'UNAUTHENTICATED', requestId: 'req-stale-bearer' } }],
    });
    expect(result.headers.get('x-request-id')).toBe('req-stale-bearer');
  });

  it('answers the REST error shape with 401 for an unknown Bearer token', async () => {
    const response = await fetch(new URL('/api/v1/honey-pots', platform.gateway.url), {
      headers: { authorization: 'Bearer no-such-token', 'x-request-id': 'req-rest' },
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ code: 'UNAUTHENTICATED', message: MESSAGE, request_id: 'req-rest' });
  });

  it('keeps a stale cookie anonymous and clears it', async () => {
    const result = await postGraphQL(platform.gateway.url, ME, undefined, { cookie: 'sting_session=gone' });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ data: { me: null } });
    const cleared = result.headers.get('set-cookie') ?? '';
    expect(cleared).toMatch(/^sting_session=;/);
    expect(cleared).toContain('Max-Age=0');
    expect(cleared).toContain('HttpOnly');
  });

  it('leaves a live cookie alone', async () => {
    const result = await postGraphQL(platform.gateway.url, ME, undefined, {
      cookie: 'sting_session=bob-token',
    });
    expect(result.body.data.me.displayName).toBe('Bob');
    expect(result.headers.get('set-cookie')).toBeNull();
  });

  it('closes graphql-ws with 4401 at connection_init for an unknown token', async () => {
    let client: ReturnType<typeof createClient> | undefined;
    const closed = new Promise<number>((resolve) => {
      client = createClient({
        url: platform.gateway.url.replace('http', 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: 'Bearer no-such-token' },
        retryAttempts: 0,
        lazy: false,
        on: { closed: (event) => resolve((event as { code: number }).code) },
        onNonLazyError: () => undefined,
      });
    });
    expect(await closed).toBe(4401);
    await client?.dispose();
  });

  describe('two Authorization headers in one request', () => {
    // A session token and a key, or two tokens: which one Node keeps is a matter of order, so neither is served.
    const twice = [
      ...['authorization', 'Bearer bob-token', 'authorization', 'Bearer alice-token'],
      ...['x-request-id', 'req-twice'],
    ];

    it('answers GraphQL 400 BAD_REQUEST, looking neither up', async () => {
      const answer = await send(platform.gateway.url, {
        method: 'POST',
        headers: [...twice, 'content-type', 'application/json'],
        body: JSON.stringify({ query: ME }),
      });
      expect(answer).toEqual({
        status: 400,
        body: {
          errors: [
            {
              message: 'Send one Authorization header, not several',
              extensions: { code: 'BAD_REQUEST', requestId: 'req-twice' },
            },
          ],
        },
      });
      // One of them alone is served as before.
      const once = await postGraphQL(platform.gateway.url, ME, undefined, {
        authorization: 'Bearer bob-token',
      });
      expect(once.body.data.me.displayName).toBe('Bob');
    });

    it('answers REST 400 in its error shape', async () => {
      const answer = await send(new URL('/api/v1/honey-pots', platform.gateway.url).href, { headers: twice });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({
        code: 'BAD_USER_INPUT',
        message: 'Send one Authorization header, not several',
        request_id: 'req-twice',
      });
    });
  });
});

/**
 * A request sent with node:http, its headers as name-value pairs, each sent as given (fetch would join them). Given
 * so, Node adds none of its own: the Host and the body's length are named here.
 */
function send(
  url: string,
  options: { method?: string; headers: readonly string[]; body?: string },
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const headers = [
      ...options.headers,
      ...['host', new URL(url).host, 'content-length', String(Buffer.byteLength(options.body ?? ''))],
    ];
    const req = request(url, { method: options.method ?? 'GET', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the session cookie’s Secure flag', () => {
  const platforms: ToyPlatform[] = [];
  afterAll(async () => {
    for (const platform of platforms) await platform.stop();
  });
  async function started(profile: 'development' | 'production', trustProxy: boolean) {
    const platform = await startToyPlatform('embedded', undefined, undefined, {
      settings: { profile, gateway: { trustProxy } } as never,
    });
    platforms.push(platform);
    return platform;
  }
  /** The cookie a stale session cookie is cleared with, as the gateway writes it. */
  async function clearedCookie(platform: ToyPlatform, headers: Record<string, string> = {}) {
    const result = await postGraphQL(platform.gateway.url, ME, undefined, {
      cookie: 'sting_session=gone',
      ...headers,
    });
    const cookie = result.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^sting_session=;/);
    return cookie;
  }
  const httpsByProxy = { 'x-forwarded-proto': 'https' };

  it('follows X-Forwarded-Proto only from a trusted proxy', async () => {
    // Without one, the header is whatever the client chose to send.
    const direct = await started('development', false);
    expect(await clearedCookie(direct, httpsByProxy)).not.toContain('Secure');
    const proxied = await started('development', true);
    expect(await clearedCookie(proxied, httpsByProxy)).toContain('; Secure');
    expect(await clearedCookie(proxied, { 'x-forwarded-proto': 'http' })).not.toContain('Secure');
  });

  it('is always set in the production profile', async () => {
    const production = await started('production', false);
    expect(await clearedCookie(production)).toContain('; Secure');
  });
});
