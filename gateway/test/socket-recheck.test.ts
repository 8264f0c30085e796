// Finding 1 and finding 3 on a running gateway. Open graphql-ws sockets follow their viewer through the session
// cache (no longer than HTTP requests do): a session ended elsewhere closes the socket with 4401 and stops
// delivery, a changed role closes it with 4403. REST writes follow Apollo's CSRF rules, and a GraphQL request a cookie
// signs in is refused when it names another site.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Role, Viewer } from '@sting/kit';
import type { SessionProvider } from '../src/identity/session-provider.ts';
import { sessionFromConnectionParams, sessionFromHeaders } from '../src/identity/session-token.ts';
import { postGraphQL, startToyPlatform, waitFor, type ToyPlatform } from './toy-platform.ts';

/** Sessions as an identity database holds them: a test ends one or changes a role directly. */
const sessions = new Map<string, { id: string; role: Role }>();
const provider: SessionProvider = {
  fromHeaders: sessionFromHeaders,
  fromConnectionParams: sessionFromConnectionParams,
  lookup: async ({ token }): Promise<Viewer | null> => {
    const row = sessions.get(token);
    return row ? { kind: 'user', id: row.id, role: row.role } : null;
  },
  ownsSessionCookie: false,
};

let platform: ToyPlatform;
beforeAll(async () => {
  platform = await startToyPlatform('embedded', undefined, undefined, {
    sessionProvider: provider,
    sessions: { ttlMs: 100 },
  });
});
afterAll(() => platform.stop());

async function follow(token: string, conversationId: string) {
  const received: string[] = [];
  let closed: number | undefined;
  const client = createClient({
    url: platform.gateway.url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    on: { closed: (event) => void (closed = (event as { code: number }).code) },
  });
  client.subscribe(
    { query: `subscription { messageAdded(conversationId: "${conversationId}") { text } }` },
    {
      next: (value) =>
        void received.push((value.data as { messageAdded: { text: string } }).messageAdded.text),
      error: () => undefined,
      complete: () => undefined,
    },
  );
  await waitFor(() => platform.endpoints.some((e) => e.name === 'chat' && e.openSubscriptions() > 0));
  return { client, received, closedWith: () => closed };
}

const post = (token: string, conversationId: string, text: string) =>
  postGraphQL(
    platform.gateway.url,
    `mutation { postMessage(conversationId: "${conversationId}", text: "${text}") { id } }`,
    undefined,
    { authorization: `Bearer ${token}` },
  );

describe('open graphql-ws sockets re-check their viewer (finding 1)', () => {
  it('closes with 4401 and delivers nothing more once the session ends elsewhere', async () => {
    sessions.set('ann-socket', { id: 'u1', role: 'ADMIN' });
    sessions.set('ann-http', { id: 'u1', role: 'ADMIN' });
    const socket = await follow('ann-socket', 'c-logout');
    await post('ann-http', 'c-logout', 'before');
    await waitFor(() => socket.received.includes('before'));
    sessions.delete('ann-socket'); // signed out from another connection
    await new Promise((resolve) => setTimeout(resolve, 200));
    await post('ann-http', 'c-logout', 'after');
    await waitFor(() => socket.closedWith() === 4401);
    expect(socket.received).toEqual(['before']);
    await socket.client.dispose();
  });

  it('closes with 4403 when the role changes in the identity store', async () => {
    sessions.set('bo-socket', { id: 'u2', role: 'ADMIN' });
    sessions.set('bo-http', { id: 'u2', role: 'ADMIN' });
    const socket = await follow('bo-socket', 'c-role');
    sessions.set('bo-socket', { id: 'u2', role: 'MEMBER' }); // demoted directly in the store
    await new Promise((resolve) => setTimeout(resolve, 200));
    await post('bo-http', 'c-role', 'for admins');
    await waitFor(() => socket.closedWith() === 4403);
    expect(socket.received).toEqual([]);
    await socket.client.dispose();
  });

  it('refuses a new operation on a socket whose session ended', async () => {
    sessions.set('cy-socket', { id: 'u2', role: 'MEMBER' });
    const client = createClient({
      url: platform.gateway.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: 'Bearer cy-socket' },
      retryAttempts: 0,
    });
    const ping = () =>
      new Promise<unknown>((resolve) => {
        client.subscribe({ query: '{ ping }' }, { next: resolve, error: resolve, complete: () => undefined });
      });
    expect(await ping()).toEqual({ data: { ping: 'pong' } });
    sessions.delete('cy-socket');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = (await ping()) as { code?: number } | unknown[];
    expect(Array.isArray(refused) ? 'errors' : (refused as { code?: number }).code).toBeTruthy();
    await client.dispose();
  });
});

describe('CSRF on REST writes (finding 3)', () => {
  const base = () => platform.gateway.url.replace('/graphql', '');
  beforeAll(() => void sessions.set('dee-cookie', { id: 'u2', role: 'MEMBER' }));
  const cookie = { cookie: 'sting_session=dee-cookie' };

  it('refuses a write without application/json, as a cross-site form would send it', async () => {
    const response = await fetch(`${base()}/api/v1/honey-pots`, {
      method: 'POST',
      headers: { ...cookie, origin: 'https://evil.example' },
      body: JSON.stringify({ name: 'planted' }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      'application/json',
    );
  });

  it('refuses a cookie-authenticated write from another origin, even as JSON', async () => {
    const response = await fetch(`${base()}/api/v1/honey-pots`, {
      method: 'POST',
      headers: { ...cookie, origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'planted' }),
    });
    expect(response.status).toBe(403);
    const deleted = await fetch(`${base()}/api/v1/honey-pots/j1`, {
      method: 'DELETE',
      headers: { ...cookie, referer: 'https://evil.example/page' },
    });
    expect(deleted.status).toBe(403);
  });

  it('lets a same-origin or token-bearing write through to its operation', async () => {
    const writers: Record<string, string>[] = [
      { ...cookie, origin: base(), 'content-type': 'application/json' },
      { ...cookie, 'x-csrf-token': '1', 'content-type': 'application/json' },
      { authorization: 'Bearer dee-cookie', 'content-type': 'application/json' },
    ];
    for (const headers of writers) {
      const response = await fetch(`${base()}/api/v1/honey-pots`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ name: 'fine' }),
      });
      // Past the CSRF stage: the toy subgraphs have no createHoneyJar, so the operation itself is refused.
      const body = (await response.json()) as { error?: { message: string } };
      expect(body.error?.message ?? '').not.toMatch(/application\/json|this site/);
    }
  });
});

describe('CSRF on GraphQL', () => {
  const base = () => platform.gateway.url.replace('/graphql', '');
  beforeAll(() => void sessions.set('eve-target', { id: 'u3', role: 'MEMBER' }));
  const graphql = (headers: Record<string, string>, text: string) =>
    fetch(platform.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({
        query: `mutation { postMessage(conversationId: "csrf", text: "${text}") { id } }`,
      }),
    });

  it('refuses a cookie-signed operation that names another site, and runs nothing of it', async () => {
    const listener = await follow('eve-target', 'csrf');
    const cookie = { cookie: 'sting_session=eve-target' };
    const elsewhere: Record<string, string>[] = [
      { origin: 'https://evil.example' },
      { origin: 'null' }, // a sandboxed frame
      { referer: 'https://evil.example/page' },
      { 'sec-fetch-site': 'cross-site' }, // what the browser says, whatever Origin and Referer leave out
      { origin: base(), 'sec-fetch-site': 'cross-site' },
    ];
    for (const from of elsewhere) {
      const response = await graphql({ ...cookie, ...from }, 'forged');
      expect(response.status).toBe(403);
      const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
      expect(body.errors[0].extensions.code).toBe('FORBIDDEN');
      expect(body.errors[0].message).toMatch(/must come from this site/);
    }
    // This site's own page, a client that names no origin, a page that set the header, and a bearer token from
    // anywhere (a browser never attaches one by itself) are served.
    const served: Record<string, string>[] = [
      { ...cookie, origin: base() },
      cookie,
      { ...cookie, origin: 'https://evil.example', 'x-csrf-token': '1' },
      { authorization: 'Bearer eve-target', origin: 'https://evil.example' },
    ];
    for (const [i, headers] of served.entries()) {
      const response = await graphql(headers, `fine ${i}`);
      expect(response.status).toBe(200);
    }
    await waitFor(() => listener.received.length === served.length);
    expect(listener.received).toEqual(served.map((_, i) => `fine ${i}`));
    await listener.client.dispose();
  });
});
