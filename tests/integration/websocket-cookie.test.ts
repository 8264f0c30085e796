// A browser's graphql-ws socket is signed in by the session cookie on its upgrade request (the web app never holds
// the token), but only when the page that opened it is on this site: any site can open a socket here and the
// browser may attach the cookie (cross-site WebSocket hijacking). A stale cookie leaves the socket anonymous.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ADMIN, graphql, startIntegrationPlatform, type IntegrationPlatform } from './platform.ts';

let it_: IntegrationPlatform;
let token: string;

beforeAll(async () => {
  it_ = await startIntegrationPlatform('embedded');
  const login = await graphql(
    it_.url,
    'mutation($e:String!,$p:String!){login(email:$e,password:$p){token}}',
    {
      e: ADMIN.email,
      p: ADMIN.password,
    },
  );
  token = login.data.login.token;
}, 60_000);

afterAll(async () => {
  await it_?.stop();
});

/** `{ me { email } }` over a socket whose upgrade request carries these headers. */
async function meOverSocket(headers: Record<string, string>): Promise<unknown> {
  class BrowserLikeSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  const client = createClient({
    url: it_.url.replace('http', 'ws'),
    webSocketImpl: BrowserLikeSocket,
    retryAttempts: 0,
  });
  try {
    const result = await client.iterate({ query: '{ me { email } }' }).next();
    return (result.value as { data?: { me: unknown } }).data?.me;
  } finally {
    await client.dispose();
  }
}

describe('graphql-ws sessions from the cookie', () => {
  it('signs in a same-site socket with the session cookie', async () => {
    const origin = new URL(it_.url).origin;
    await expect(meOverSocket({ cookie: `sting_session=${token}`, origin })).resolves.toEqual({
      email: ADMIN.email,
    });
  });

  it('ignores the cookie on a socket opened by another site, or with no Origin at all', async () => {
    await expect(
      meOverSocket({ cookie: `sting_session=${token}`, origin: 'https://evil.example' }),
    ).resolves.toBeNull();
    await expect(meOverSocket({ cookie: `sting_session=${token}` })).resolves.toBeNull();
  });

  it('treats a stale cookie as anonymous instead of refusing the socket', async () => {
    const origin = new URL(it_.url).origin;
    await expect(meOverSocket({ cookie: 'sting_session=not-a-live-session', origin })).resolves.toBeNull();
  });
});
