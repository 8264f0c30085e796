// Delegated identity: a chat fetch also carries the person's assertion for knowledge (and nothing else does), and a
// subgraph calling knowledge with it through the peer link is seen there as that person, in both topologies; that
// assertion is read-only there: a query runs, a mutation or a subscription is refused.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
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

const nameOf = (_r: unknown, _a: unknown, ctx: { viewer: Viewer | null }) =>
  ctx.viewer?.kind === 'user' ? ctx.viewer.id : 'anonymous';
/** Who changed something through the stand-in's mutation. */
const touchedBy: string[] = [];

/** A knowledge stand-in that answers who it thinks is asking, and lets them change and listen to something. */
const whoAmI = {
  name: 'knowledge',
  dbSchema: 'knowledge',
  typeDefs: parse(
    'type Query { whoAmI: String } type Mutation { touch: String } type Subscription { ticks: Int }',
  ),
  resolvers: {
    Query: { whoAmI: nameOf },
    Mutation: {
      touch: (...args: Parameters<typeof nameOf>) => {
        touchedBy.push(nameOf(...args));
        return nameOf(...args);
      },
    },
    Subscription: {
      ticks: {
        subscribe: async function* () {
          yield { ticks: 1 };
        },
      },
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

      // Read-only there: a mutation is refused before it runs, however the document names its operations.
      touchedBy.length = 0;
      for (const request of [
        { query: 'mutation { touch }' },
        { query: 'query A { whoAmI } mutation B { touch }', operationName: 'B' },
        { query: 'query A { whoAmI } mutation B { touch }' },
      ]) {
        const result = await peers.execute('knowledge', request, token, 'r-2');
        expect(result.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
        expect(result.data ?? null).toBeNull();
      }
      expect(touchedBy).toEqual([]);
      const named = await peers.execute(
        'knowledge',
        { query: 'query A { whoAmI } mutation B { touch }', operationName: 'A' },
        token,
        'r-2',
      );
      expect(named).toEqual({ data: { whoAmI: 'u-alice' } });
      // The gateway's own assertion for knowledge is not read-only.
      const full = await signer.sign('knowledge', alice, 'r-2');
      expect(await peers.execute('knowledge', { query: 'mutation { touch }' }, full, 'r-2')).toEqual({
        data: { touch: 'u-alice' },
      });
      expect(touchedBy).toEqual(['u-alice']);
    },
  );

  it('refuses a subscription to a read-only assertion, and never hands a read-only token out as a full one', async () => {
    const host = createSubgraphHost(whoAmI, runtime, keys.publicKey);
    const delegated = (await signer.delegate('chat', alice, 'r-3'))!;
    const refused = await host.subscribe(
      { query: 'subscription { ticks }' },
      host.contextFor(await host.identify(delegated)),
    );
    expect(refused).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN' } }] });
    const full = await signer.sign('knowledge', alice, 'r-3');
    const stream = await host.subscribe(
      { query: 'subscription { ticks }' },
      host.contextFor(await host.identify(full)),
    );
    expect(Symbol.asyncIterator in stream).toBe(true);
    await (stream as AsyncGenerator).return(undefined);
    // The same over the served subgraph's graphql-ws door (distributed).
    const overSocket = async (identity: string, query: string) => {
      const client = createClient({
        url: served.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { identity },
      });
      try {
        const results: unknown[] = [];
        for await (const result of client.iterate({ query })) results.push(result);
        return results;
      } catch (err) {
        return [{ thrown: err }];
      } finally {
        await client.dispose();
      }
    };
    for (const query of ['subscription { ticks }', 'mutation { touch }']) {
      expect(JSON.stringify(await overSocket(delegated, query))).toContain('FORBIDDEN');
    }
    expect(await overSocket(full, 'subscription { ticks }')).toEqual([{ data: { ticks: 1 } }]);
    expect(await overSocket(delegated, '{ whoAmI }')).toEqual([{ data: { whoAmI: 'u-alice' } }]);

    // Knowledge's delegation has the one audience honey-jars, like the gateway's own honey-jars fetches: the
    // signer keeps the two apart, in either order.
    const fresh = new AssertionSigner(keys.privateKey, 60);
    const readOnly = (await fresh.delegate('knowledge', alice, 'r-3'))!;
    const own = await fresh.sign('honey-jars', alice, 'r-3');
    expect(own).not.toBe(readOnly);
    await expect(verifyAssertion(keys.publicKey, readOnly, 'honey-jars')).resolves.toMatchObject({
      readOnly: true,
    });
    expect((await verifyAssertion(keys.publicKey, own, 'honey-jars')).readOnly).toBeUndefined();
    const other = new AssertionSigner(keys.privateKey, 60);
    const ownFirst = await other.sign('honey-jars', alice, 'r-3');
    expect((await verifyAssertion(keys.publicKey, ownFirst, 'honey-jars')).readOnly).toBeUndefined();
    const delegatedAfter = (await other.delegate('knowledge', alice, 'r-3'))!;
    await expect(verifyAssertion(keys.publicKey, delegatedAfter, 'honey-jars')).resolves.toMatchObject({
      readOnly: true,
    });
  });
});
