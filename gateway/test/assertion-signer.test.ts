// The gateway's assertion signer: a token is reused for the first half of its lifetime for the same audience and
// viewer, never across audiences or viewers, and every reused token still verifies at the subgraph.
import { describe, it, expect, beforeAll } from '@jest/globals';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { verifyAssertion, type Viewer } from '@sting/kit';
import { AssertionSigner } from '../src/identity/assertion-signer.ts';

const alice: Viewer = { kind: 'user', id: 'u1', role: 'MEMBER', displayName: 'Alice', sessionId: 's1' };

describe('assertion signer', () => {
  let privateKey: KeyObject;
  let publicKey: KeyObject;
  beforeAll(() => {
    ({ privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' }));
  });

  it('hands out the same token within half its lifetime and a fresh one after', async () => {
    let now = 1_000_000;
    const signer = new AssertionSigner(privateKey, 60, { now: () => now });
    const first = await signer.sign('identity', alice, 'r1');
    now += 29_000;
    expect(await signer.sign('identity', alice, 'r2')).toBe(first);
    now += 1_000;
    const fresh = await signer.sign('identity', alice, 'r3');
    expect(fresh).not.toBe(first);
    now += 1_000;
    expect(await signer.sign('identity', alice, 'r4')).toBe(fresh);
    // A reused token names no request; the subgraph still checks it in full.
    await expect(verifyAssertion(publicKey, fresh, 'identity')).resolves.toEqual({ viewer: alice });
  });

  it('never reuses a token for another audience or another viewer', async () => {
    const signer = new AssertionSigner(privateKey, 60);
    const forIdentity = await signer.sign('identity', alice, 'r');
    const forChat = await signer.sign('chat', alice, 'r');
    expect(forChat).not.toBe(forIdentity);
    await expect(verifyAssertion(publicKey, forIdentity, 'chat')).rejects.toThrow();
    await expect(verifyAssertion(publicKey, forChat, 'chat')).resolves.toEqual({ viewer: alice });

    const otherSession = await signer.sign('identity', { ...alice, sessionId: 's2' }, 'r');
    const otherRole = await signer.sign('identity', { ...alice, role: 'ADMIN' }, 'r');
    const anonymous = await signer.sign('identity', null, 'r');
    const system = await signer.sign('identity', { kind: 'system' }, 'r');
    expect(new Set([forIdentity, otherSession, otherRole, anonymous, system]).size).toBe(5);
    await expect(verifyAssertion(publicKey, anonymous, 'identity')).resolves.toEqual({ viewer: null });
  });

  it("never shares a token between a person's session and their API keys, and delegates the key's claims", async () => {
    const signer = new AssertionSigner(privateKey, 60);
    const owner: Viewer = { kind: 'user', id: 'u1', role: 'MEMBER' };
    const readKey: Viewer = { ...owner, apiKey: { id: 'k1', scopes: ['honey-jars:read'] } };
    const narrowed: Viewer = {
      ...owner,
      apiKey: { id: 'k1', scopes: ['honey-jars:read'], honeyJarIds: ['j1'] },
    };
    const otherKey: Viewer = { ...owner, apiKey: { id: 'k2', scopes: ['honey-jars:read'] } };
    const tokens = await Promise.all(
      [owner, readKey, narrowed, otherKey].map((v) => signer.sign('chat', v, 'r')),
    );
    expect(new Set(tokens).size).toBe(4);
    await expect(verifyAssertion(publicKey, tokens[2], 'chat')).resolves.toEqual({ viewer: narrowed });

    // Bee asks knowledge as the person, read-only: with the key's scopes and jar restriction, never as the bare
    // owner.
    const delegated = (await signer.delegate('chat', narrowed, 'r'))!;
    await expect(verifyAssertion(publicKey, delegated, 'knowledge')).resolves.toEqual({
      viewer: narrowed,
      readOnly: true,
    });
  });

  it('keeps at most maxEntries tokens', async () => {
    const signer = new AssertionSigner(privateKey, 60, { maxEntries: 3 });
    for (let i = 0; i < 10; i++) await signer.sign('identity', { ...alice, id: `u${i}` }, 'r');
    expect(signer.cachedTokens).toBeLessThanOrEqual(3);
  });

  it('signs every time, with the request id, when reuse is off', async () => {
    const signer = new AssertionSigner(privateKey, 60, { reuseFraction: 0 });
    const token = await signer.sign('identity', alice, 'r9');
    await expect(verifyAssertion(publicKey, token, 'identity')).resolves.toEqual({
      viewer: alice,
      requestId: 'r9',
    });
  });
});
