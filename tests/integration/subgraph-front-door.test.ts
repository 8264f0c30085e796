// The subgraphs are not a second front door: in the distributed topology a request sent straight to a
// subgraph's port, without the gateway's assertion or with a forged one, is refused (login, introspection,
// `_service { sdl }`, graphql-ws), while the gateway keeps serving anonymous and signed-in people in both
// topologies (anonymous requests carry the gateway's anonymous assertion).
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { IDENTITY_HEADER, loadOrCreateSigningKeys, signAssertion, type SubgraphName } from '@sting/kit';
import {
  ADMIN,
  graphql,
  postGraphQL,
  startIntegrationPlatform,
  type IntegrationPlatform,
} from './platform.ts';

const LOGIN = 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';
const PROBES = {
  login: LOGIN,
  introspection: '{ __schema { types { name } } }',
  service: '{ _service { sdl } }',
};

async function forgedAssertion(): Promise<string> {
  const intruder = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const viewer = { kind: 'user', id: '00000000-0000-4000-8000-000000000001', role: 'ADMIN' } as const;
  return signAssertion(intruder, { audience: 'identity', viewer, ttlSeconds: 60 });
}

describe.each(['embedded', 'distributed'] as const)('subgraph front door (%s)', (topology) => {
  let it_: IntegrationPlatform;
  beforeAll(async () => {
    it_ = await startIntegrationPlatform(topology, { chromaUrl: process.env.CHROMA_URL });
  }, 60_000);
  afterAll(async () => {
    await it_?.stop();
  });

  it('serves anonymous and signed-in people through the gateway', async () => {
    const anonymous = await graphql(it_.url, '{ me { id } }');
    expect(anonymous).toEqual({ data: { me: null } });
    const login = await graphql(it_.url, LOGIN, { e: ADMIN.email, p: ADMIN.password });
    expect(login.errors).toBeUndefined();
    const me = await graphql(it_.url, '{ me { email } }', undefined, login.data.login.token);
    expect(me).toEqual({ data: { me: { email: ADMIN.email } } });
  });

  if (topology !== 'distributed') return;

  const subgraphUrl = (name: SubgraphName) => it_.subgraphs[name];

  it.each(Object.entries(PROBES))(
    'refuses %s sent straight to the identity subgraph',
    async (_name, query) => {
      const forged = await forgedAssertion();
      const attempts: Record<string, string>[] = [
        {},
        { [IDENTITY_HEADER]: forged },
        { [IDENTITY_HEADER]: 'anonymous' },
      ];
      for (const headers of attempts) {
        const variables = { e: ADMIN.email, p: ADMIN.password };
        const { status, body } = await postGraphQL(subgraphUrl('identity'), query, headers, variables);
        expect({ status, code: body.errors?.[0]?.extensions?.code, data: body.data }).toEqual({
          status: 401,
          code: 'UNAUTHENTICATED',
          data: undefined,
        });
      }
    },
  );

  it('refuses graphql-ws straight to a subgraph without or with a forged assertion', async () => {
    const forged = await forgedAssertion();
    for (const connectionParams of [{}, { identity: forged }]) {
      const client = createClient({
        url: subgraphUrl('chat').replace('http', 'ws'),
        webSocketImpl: WebSocket,
        connectionParams,
        retryAttempts: 0,
      });
      const closed = await client
        .iterate({ query: '{ __typename }' })
        .next()
        .then(
          () => 'answered',
          (event: { code?: number }) => event.code,
        );
      expect(closed).toBe(4403);
      await client.dispose();
    }
  });

  it('refuses an assertion for another subgraph (audience)', async () => {
    const { privateKey } = await loadOrCreateSigningKeys(it_.keysDir);
    const forChat = await signAssertion(privateKey, { audience: 'chat', viewer: null, ttlSeconds: 60 });
    const { status } = await postGraphQL(subgraphUrl('identity'), PROBES.service, {
      [IDENTITY_HEADER]: forChat,
    });
    expect(status).toBe(401);
  });
});
