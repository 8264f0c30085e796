// A subgraph service called directly, bypassing the gateway: only a valid assertion for its own audience is
// accepted (the gateway's anonymous assertion for anonymous people); a missing, forged, expired or foreign one is
// refused with UNAUTHENTICATED.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { IDENTITY_HEADER, signAssertion, type Viewer } from '@sting/kit';
import { serveSubgraph, type ServedSubgraph } from '@sting/kit';
import { identityModule, newBus, toyRuntime } from './toy-subgraphs.ts';
import { postGraphQL } from './toy-platform.ts';

const alice: Viewer = { kind: 'user', id: 'u1', role: 'ADMIN' };
const ME = '{ me { displayName } }';

describe('subgraph service identity', () => {
  let service: ServedSubgraph;
  let privateKey: KeyObject;
  beforeAll(async () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    privateKey = pair.privateKey;
    service = await serveSubgraph(identityModule(), toyRuntime('identity', newBus()), {
      port: 0,
      verificationKey: pair.publicKey,
    });
  });
  afterAll(async () => {
    await service?.stop();
  });

  const call = (assertion?: string) =>
    postGraphQL(service.url, ME, undefined, assertion ? { [IDENTITY_HEADER]: assertion } : {});

  it("accepts a valid assertion and the gateway's anonymous one, and refuses a request without one", async () => {
    const valid = await signAssertion(privateKey, {
      audience: 'identity',
      viewer: alice,
      requestId: 'r',
      ttlSeconds: 60,
    });
    expect((await call(valid)).body).toEqual({ data: { me: { displayName: 'Alice' } } });
    const anonymous = await signAssertion(privateKey, { audience: 'identity', viewer: null, ttlSeconds: 60 });
    expect((await call(anonymous)).body).toEqual({ data: { me: null } });
    const missing = await call();
    expect(missing.status).toBe(401);
    expect(missing.body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it("serves no landing page to a browser (Apollo's loads its Sandbox from Apollo's CDN)", async () => {
    const assertion = await signAssertion(privateKey, {
      audience: 'identity',
      viewer: alice,
      ttlSeconds: 60,
    });
    const page = await fetch(service.url, { headers: { accept: 'text/html', [IDENTITY_HEADER]: assertion } });
    expect(await page.text()).not.toMatch(/apollographql\.com|<html/i);
  });

  it('refuses forged, expired and wrong-audience assertions', async () => {
    const intruder = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const forged = await signAssertion(intruder, {
      audience: 'identity',
      viewer: alice,
      requestId: 'r',
      ttlSeconds: 60,
    });
    const foreign = await signAssertion(privateKey, {
      audience: 'chat',
      viewer: alice,
      requestId: 'r',
      ttlSeconds: 60,
    });
    const expired = await new SignJWT({ kind: 'user', role: 'ADMIN' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer('sting-gateway')
      .setAudience('identity')
      .setSubject('u1')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 120)
      .sign(privateKey);
    for (const assertion of [forged, foreign, expired, 'not-a-jwt']) {
      const result = await call(assertion);
      expect(result.status).toBe(401);
      expect(result.body.data).toBeUndefined();
      expect(result.body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses a forged assertion in graphql-ws connection_init', async () => {
    const intruder = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const forged = await signAssertion(intruder, {
      audience: 'identity',
      viewer: alice,
      requestId: 'r',
      ttlSeconds: 60,
    });
    const client = createClient({
      url: service.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { identity: forged },
      retryAttempts: 0,
    });
    const failure = await client
      .iterate({ query: ME })
      .next()
      .then(
        () => undefined,
        (event: { code?: number }) => event.code,
      );
    expect(failure).toBe(4403);
    await client.dispose();
  });

  it('answers no introspection, over HTTP or graphql-ws, when it is turned off (production)', async () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const open = await serveSubgraph(identityModule(), toyRuntime('identity', newBus()), {
      port: 0,
      verificationKey: pair.publicKey,
      introspection: false,
    });
    try {
      const assertion = await signAssertion(pair.privateKey, {
        audience: 'identity',
        viewer: alice,
        ttlSeconds: 60,
      });
      const http = await postGraphQL(open.url, '{ __schema { types { name } } }', undefined, {
        [IDENTITY_HEADER]: assertion,
      });
      expect(http.body.data).toBeUndefined();
      expect(http.body.errors?.[0].message).toMatch(/introspection/i);
      const client = createClient({
        url: open.url.replace('http', 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { identity: assertion },
        retryAttempts: 0,
      });
      const refused = await client
        .iterate({ query: '{ __schema { types { name } } }' })
        .next()
        .then(
          () => [],
          (errors: { message: string; extensions?: { code?: string } }[]) => errors,
        );
      expect(refused[0]).toMatchObject({
        message: expect.stringMatching(/introspection/i),
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      });
      await client.dispose();
    } finally {
      await open.stop();
    }
  });
});
