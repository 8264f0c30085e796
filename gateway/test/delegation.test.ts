// Delegated identity: a chat fetch also carries the person's assertion for knowledge (and nothing else does), and a
// subgraph calling knowledge with it through the peer link is seen there as that person, in both topologies.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'graphql';
import pino from 'pino';
import {
  createSubgraphHost,
  LocalPeers,
  loadOrCreateSigningKeys,
  RemotePeers,
  serveSubgraph,
  verifyAssertion,
  type ServedSubgraph,
  type SubgraphModule,
  type SubgraphRuntime,
  type Viewer,
} from '@sting/kit';
import { AssertionSigner, DELEGATIONS } from '../src/identity/assertion-signer.ts';

const alice: Viewer = { kind: 'user', id: 'u-alice', role: 'VIEWER' };

/** A knowledge stand-in that answers who it thinks is asking. */
const whoAmI = {
  name: 'knowledge',
  dbSchema: 'knowledge',
  typeDefs: parse('type Query { whoAmI: String }'),
  resolvers: {
    Query: {
      whoAmI: (_r: unknown, _a: unknown, ctx: { viewer: Viewer | null }) =>
        ctx.viewer?.kind === 'user' ? ctx.viewer.id : 'anonymous',
    },
  },
  entities: [],
  migrationsPath: '',
  createLoaders: () => ({}),
} as unknown as SubgraphModule;
// Its resolver needs no database: the entity manager is never used, so a fork is an empty object.
const runtime = {
  name: 'knowledge',
  orm: { em: { fork: () => ({}) } },
  logger: pino({ level: 'silent' }),
  config: {},
} as unknown as SubgraphRuntime;

describe('delegated identity', () => {
  let signer: AssertionSigner;
  let keys: Awaited<ReturnType<typeof loadOrCreateSigningKeys>>;
  let served: ServedSubgraph;

  beforeAll(async () => {
    keys = await loadOrCreateSigningKeys(join(await mkdtemp(join(tmpdir(), 'sting-deleg-')), 'keys'));
    signer = new AssertionSigner(keys.privateKey, 60);
    served = await serveSubgraph(whoAmI, runtime, { port: 0, verificationKey: keys.publicKey });
  });
  afterAll(() => served.stop());

  it('signs the person only for the subgraphs each one may ask, and never for anonymous or system callers', async () => {
    expect(DELEGATIONS).toEqual({
      chat: ['knowledge', 'honey-jars'],
      'honey-jars': ['identity'],
      knowledge: ['honey-jars'],
    });
    const token = await signer.delegate('chat', alice, 'r-1');
    for (const audience of ['knowledge', 'honey-jars'] as const) {
      await expect(verifyAssertion(keys.publicKey, token, audience)).resolves.toMatchObject({
        viewer: alice,
      });
    }
    await expect(verifyAssertion(keys.publicKey, token, 'chat')).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    for (const audience of ['identity', 'observability'] as const) {
      expect(signer.delegate(audience, alice, 'r-1')).toBeUndefined();
    }
    // Knowledge asks honey-jars alone (whether the person may still read the jars its search hits are in).
    const forHoneyJars = (await signer.delegate('knowledge', alice, 'r-1'))!;
    await expect(verifyAssertion(keys.publicKey, forHoneyJars, 'honey-jars')).resolves.toMatchObject({
      viewer: alice,
    });
    for (const audience of ['identity', 'chat', 'knowledge'] as const) {
      await expect(verifyAssertion(keys.publicKey, forHoneyJars, audience)).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    }
    // Honey-jars asks identity alone (whether a new member exists), with the person's assertion for identity.
    const forIdentity = (await signer.delegate('honey-jars', alice, 'r-1'))!;
    await expect(verifyAssertion(keys.publicKey, forIdentity, 'identity')).resolves.toMatchObject({
      viewer: alice,
    });
    await expect(verifyAssertion(keys.publicKey, forIdentity, 'knowledge')).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(signer.delegate('chat', null, 'r-1')).toBeUndefined();
    expect(signer.delegate('chat', { kind: 'system' }, 'r-1')).toBeUndefined();
  });

  it.each(['embedded', 'distributed'] as const)(
    'is the person at knowledge through the %s peer link',
    async (topology) => {
      const token = (await signer.delegate('chat', alice, 'r-2'))!;
      let peers;
      if (topology === 'embedded') {
        const local = new LocalPeers();
        local.register(createSubgraphHost(whoAmI, runtime, keys.publicKey));
        peers = local;
      } else peers = new RemotePeers({ knowledge: served.url });
      const result = await peers.execute('knowledge', { query: '{ whoAmI }' }, token, 'r-2');
      expect(result).toEqual({ data: { whoAmI: 'u-alice' } });
      // An assertion for another audience (what chat itself received) is refused by knowledge.
      const forChat = await signer.sign('chat', alice, 'r-2');
      const refused = await peers
        .execute('knowledge', { query: '{ whoAmI }' }, forChat, 'r-2')
        .catch((err: Error) => ({ thrown: err }));
      expect(JSON.stringify(refused)).toMatch(/UNAUTHENTICATED|Invalid identity assertion/);
    },
  );
});
