// Identity assertions: what a subgraph accepts, and everything it must refuse.
import { describe, it, expect, beforeAll, jest } from '@jest/globals';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import {
  copyIdentity,
  decodeClientInfo,
  encodeClientInfo,
  signAssertion,
  verifyAssertion,
  type VerifiedIdentity,
} from './assertion.ts';
import { loadOrCreateSigningKeys, loadVerificationKey, PRIVATE_KEY_FILE } from './keys.ts';
import type { Viewer } from '../subgraph/module.ts';

const alice: Viewer = {
  kind: 'user',
  id: 'u-1',
  role: 'MEMBER',
  email: 'alice@example.com',
  displayName: 'Alice',
};

describe('identity assertions', () => {
  let privateKey: KeyObject;
  let publicKey: KeyObject;
  let keysDir: string;

  beforeAll(async () => {
    keysDir = await mkdtemp(join(tmpdir(), 'sting-keys-'));
    ({ privateKey, publicKey } = await loadOrCreateSigningKeys(keysDir));
  });

  it('round-trips a user, the system and an anonymous caller', async () => {
    for (const viewer of [alice, { kind: 'system' } as const, null]) {
      const token = await signAssertion(privateKey, {
        audience: 'chat',
        viewer,
        requestId: 'r-1',
        ttlSeconds: 60,
      });
      await expect(verifyAssertion(publicKey, token, 'chat')).resolves.toEqual({ viewer, requestId: 'r-1' });
    }
  });

  it("carries a user's session id as the sid claim", async () => {
    const viewer: Viewer = { ...alice, sessionId: 's-1' } as Viewer;
    const token = await signAssertion(privateKey, {
      audience: 'identity',
      viewer,
      requestId: 'r',
      ttlSeconds: 60,
    });
    const [, payload] = token.split('.');
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')).sid).toBe('s-1');
    await expect(verifyAssertion(publicKey, token, 'identity')).resolves.toEqual({ viewer, requestId: 'r' });
  });

  it("carries an API key's id, scopes and jar restriction as the akid, scp and jars claims", async () => {
    for (const apiKey of [
      { id: 'k-1', scopes: ['honey-jars:read', 'search'] as const, honeyJarIds: ['j-1', 'j-2'] },
      { id: 'k-2', scopes: [] as const },
    ]) {
      const viewer: Viewer = { ...alice, apiKey };
      const token = await signAssertion(privateKey, {
        audience: ['chat', 'knowledge'],
        viewer,
        ttlSeconds: 60,
      });
      const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
      expect(claims).toMatchObject({ akid: apiKey.id, scp: apiKey.scopes });
      expect(claims.jars).toEqual('honeyJarIds' in apiKey ? apiKey.honeyJarIds : undefined);
      await expect(verifyAssertion(publicKey, token, 'knowledge')).resolves.toEqual({ viewer });
    }
  });

  it('drops scopes it does not know and refuses malformed key claims', async () => {
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT({ kind: 'user', role: 'MEMBER', ...claims })
        .setProtectedHeader({ alg: 'ES256' })
        .setIssuer('sting-gateway')
        .setAudience('honey-jars')
        .setSubject('u-1')
        .setExpirationTime('60s')
        .sign(privateKey);

    const unknown = await sign({ akid: 'k-1', scp: ['honey-jars:read', 'jars:everything', 7, 'admin'] });
    await expect(verifyAssertion(publicKey, unknown, 'honey-jars')).resolves.toEqual({
      viewer: {
        kind: 'user',
        id: 'u-1',
        role: 'MEMBER',
        apiKey: { id: 'k-1', scopes: ['honey-jars:read', 'admin'] },
      },
    });

    // A key viewer whose claims cannot be read must not become its unrestricted owner.
    for (const claims of [
      { akid: 'k-1' },
      { akid: 5, scp: [] },
      { akid: 'k-1', scp: [], jars: 'j-1' },
      { akid: 'k-1', scp: [], jars: [1] },
    ])
      await expect(verifyAssertion(publicKey, await sign(claims), 'honey-jars')).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
      });
  });

  it('treats a missing assertion as anonymous', async () => {
    await expect(verifyAssertion(publicKey, undefined, 'chat')).resolves.toEqual({ viewer: null });
  });

  it('verifies a token again from memory only while it is valid, for its own audience, and never shares the result', async () => {
    const now = Date.now();
    // Only the clock is faked (jose reads it through new Date()).
    jest.useFakeTimers({
      now,
      doNotFake: [
        'setTimeout',
        'clearTimeout',
        'setInterval',
        'clearInterval',
        'setImmediate',
        'clearImmediate',
        'nextTick',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    });
    try {
      const token = await signAssertion(privateKey, { audience: 'chat', viewer: alice, ttlSeconds: 2 });
      const first = await verifyAssertion(publicKey, token, 'chat');
      expect(first).toEqual({ viewer: alice });
      (first.viewer as { role: string }).role = 'ADMIN'; // a caller changing what it got changes nothing kept
      await expect(verifyAssertion(publicKey, token, 'chat')).resolves.toEqual({ viewer: alice });
      await expect(verifyAssertion(publicKey, token, 'identity')).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
      });
      // Past its expiry (and jose's 5 s of clock tolerance) the remembered verification no longer counts.
      jest.setSystemTime(now + 10_000);
      await expect(verifyAssertion(publicKey, token, 'chat')).rejects.toMatchObject({
        code: 'UNAUTHENTICATED',
      });
    } finally {
      jest.useRealTimers();
    }
  });

  it('copies an identity as structuredClone does, sharing nothing a request could change', () => {
    const identities: VerifiedIdentity[] = [
      { viewer: null },
      { viewer: { kind: 'system' }, requestId: 'r' },
      { viewer: alice, requestId: 'r', readOnly: true, client: { address: '10.0.0.1', userAgent: 'curl' } },
      {
        viewer: { ...alice, apiKey: { id: 'k', scopes: ['honey-jars:read'], honeyJarIds: ['j-1'] } },
        delegatedIdentity: 'token',
      },
      { viewer: { ...alice, sessionId: 's', apiKey: { id: 'k', scopes: [] } } },
    ];
    for (const identity of identities) {
      const copy = copyIdentity(identity);
      expect(copy).toStrictEqual(structuredClone(identity));
      const kept = structuredClone(identity);
      if (copy.viewer?.kind === 'user') {
        copy.viewer.role = 'ADMIN';
        (copy.viewer.apiKey?.scopes as string[] | undefined)?.push('admin');
        (copy.viewer.apiKey?.honeyJarIds as string[] | undefined)?.push('j-2');
      }
      if (copy.client) copy.client.address = '1.2.3.4';
      expect(identity).toStrictEqual(kept);
    }
  });

  it('rejects another audience, an expired token and a forged signature', async () => {
    const forChat = await signAssertion(privateKey, {
      audience: 'chat',
      viewer: alice,
      requestId: 'r',
      ttlSeconds: 60,
    });
    await expect(verifyAssertion(publicKey, forChat, 'identity')).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });

    const expired = await new SignJWT({ kind: 'user', role: 'ADMIN' })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer('sting-gateway')
      .setAudience('chat')
      .setSubject('u-1')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(privateKey);
    await expect(verifyAssertion(publicKey, expired, 'chat')).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });

    const intruder = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const forged = await signAssertion(intruder, {
      audience: 'chat',
      viewer: alice,
      requestId: 'r',
      ttlSeconds: 60,
    });
    await expect(verifyAssertion(publicKey, forged, 'chat')).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });

    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${forChat.split('.')[1]}.`;
    await expect(verifyAssertion(publicKey, unsigned, 'chat')).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('keeps the private key owner-only and reuses it on the next start', async () => {
    expect((await stat(join(keysDir, PRIVATE_KEY_FILE))).mode & 0o077).toBe(0);
    const again = await loadOrCreateSigningKeys(keysDir);
    expect(again.publicKey.equals(publicKey)).toBe(true);
    expect((await loadVerificationKey({ keysDir })).equals(publicKey)).toBe(true);
  });
});

describe('client info beside the assertion', () => {
  it('round-trips an address and a user agent, bounded to 256 characters each', () => {
    const header = encodeClientInfo({ address: '203.0.113.9', userAgent: 'x'.repeat(300) });
    expect(decodeClientInfo(header)).toEqual({ address: '203.0.113.9', userAgent: 'x'.repeat(256) });
  });

  it('reads anything malformed as no information', () => {
    for (const value of [undefined, '', 'not json', '[1]', '"s"', 'null', '{"address":5}', 'x'.repeat(2000)])
      expect(decodeClientInfo(value) ?? {}).toEqual({});
  });
});
