// How the gateway treats a session token it cannot resolve: an explicit Bearer token is refused on every front
// door (GraphQL over HTTP, REST, graphql-ws), while a stale cookie stays anonymous and is cleared.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
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
});
