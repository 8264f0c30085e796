// API keys in identity: created once and stored hashed, validated, held to their owner, resolved for the gateway
// (revoked, expired, disabled and deleted owners refused), use recorded once a minute, every step audited.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { GraphQLObjectType } from 'graphql';
import { OutboxEvent, Topics, type Viewer } from '@sting/kit';
import { startTestRuntime, type TestRuntime } from '@sting/kit/testing';
import { subgraph } from '../src/index.ts';
import { ApiKey } from '../src/entities/api-key.ts';
import { Session } from '../src/entities/session.ts';
import { TotpFactor } from '../src/entities/totp-factor.ts';
import { User } from '../src/entities/user.ts';
import { auditTables } from '../src/domain/audit/tables.ts';
import { MAX_LIVE_KEYS, USE_RECORD_INTERVAL_MS } from '../src/domain/api-keys.ts';
import { buildUser, SYSTEM, viewerOf } from './factories.ts';

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime(subgraph, { config: { identity: { requireMfaForAdmins: false } } });
});
afterAll(async () => {
  await t.close();
});

const CREATE = `mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { key apiKey { id name prefix scopes honeyJarIds expiresAt lastUsedAt revokedAt createdAt } }
}`;
const LIST = `{ apiKeys { id name prefix scopes revokedAt } }`;
const REVOKE = `mutation($id: ID!) { revokeApiKey(id: $id) }`;
const RESOLVE = `query($key: String!) {
  apiKeyViewer(key: $key) { id role email displayName sessionId apiKey { id scopes honeyJarIds } }
}`;

type UserViewer = Extract<Viewer, { kind: 'user' }>;

/** A person signed in with a real session row (step-up reads it). */
async function signedIn(role: 'ADMIN' | 'MEMBER' | 'VIEWER' = 'MEMBER', aal2 = false) {
  const em = t.em();
  const user = await buildUser(em, { role });
  const session = em.create(Session, {
    tokenHash: randomBytes(32).toString('hex'),
    user,
    expiresAt: new Date(Date.now() + 3_600_000),
    aal: aal2 ? 'aal2' : 'aal1',
    secondFactorAt: aal2 ? new Date() : null,
  });
  await em.flush();
  return { user, viewer: { ...viewerOf(user), sessionId: session.id } as UserViewer };
}

async function createKey(viewer: Viewer, input: Record<string, unknown> = {}) {
  const result = await t.run(viewer, CREATE, {
    input: { name: 'ci script', scopes: ['honey-jars:read'], ...input },
  });
  expect(result.errors).toBeUndefined();
  return result.data.createApiKey as { key: string; apiKey: Record<string, any> };
}

async function auditOf(targetId: string) {
  const em = t.em();
  return em.execute<
    { action: string; actor_id: string | null; api_key_id: string | null; outcome: string }[]
  >(
    `select action, actor_id, api_key_id, outcome from ${auditTables(em).events} where target_id = ? order by seq`,
    [targetId],
  );
}

const resolve = (key: string) => t.run(SYSTEM, RESOLVE, { key });

describe('createApiKey', () => {
  it('shows the key once with its prefix and stores only its SHA-256', async () => {
    const { user, viewer } = await signedIn();
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    const jar = randomUUID();
    const { key, apiKey } = await createKey(viewer, {
      name: '  nightly export  ',
      scopes: ['honey-jars:read', 'search', 'search'],
      expiresAt,
      honeyJarIds: [jar.toUpperCase()],
    });
    expect(key).toMatch(/^sting_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({
      name: 'nightly export',
      prefix: key.slice(0, 14),
      scopes: ['honey-jars:read', 'search'],
      honeyJarIds: [jar],
      expiresAt,
      lastUsedAt: null,
      revokedAt: null,
    });
    const em = t.em();
    const [row] = await em.execute<Record<string, unknown>[]>(
      `select * from "${em.config.get('schema')}"."api_key" where id = ?`,
      [apiKey.id],
    );
    expect(row.key_hash).toBe(createHash('sha256').update(key).digest('hex'));
    expect(row.user_id).toBe(user.id);
    // The key is nowhere in the row.
    expect(JSON.stringify(row)).not.toContain(key.slice(6));
    expect(await auditOf(apiKey.id)).toEqual([
      { action: 'api_key.created', actor_id: user.id, api_key_id: null, outcome: 'success' },
    ]);
    // Listing never shows the key again.
    const type = t.schema.getType('ApiKey') as GraphQLObjectType;
    expect(Object.keys(type.getFields())).not.toContain('key');
  });

  it.each([
    [{ name: '' }, 'name'],
    [{ name: 'x'.repeat(81) }, 'name'],
    [{ scopes: [] }, 'scopes'],
    [{ scopes: ['honey-jars:read', 'everything'] }, 'scopes'],
    [{ expiresAt: new Date(Date.now() - 1000).toISOString() }, 'expiresAt'],
    [{ honeyJarIds: ['not-a-jar'] }, 'honeyJarIds'],
    [{ honeyJarIds: [] }, 'honeyJarIds'],
  ])('refuses %j with BAD_USER_INPUT naming %s, writing nothing', async (input, field) => {
    const { user, viewer } = await signedIn();
    const result = await t.run(viewer, CREATE, {
      input: { name: 'k', scopes: ['search'], ...input },
    });
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await t.em().count(ApiKey, { user: user.id })).toBe(0);
  });

  it('names the scopes there are when one is unknown', async () => {
    const { viewer } = await signedIn();
    const result = await t.run(viewer, CREATE, { input: { name: 'k', scopes: ['read'] } });
    expect(result.errors?.[0].message).toBe(
      'Unknown scope "read"; the scopes are honey-jars:read, honey-jars:write, documents:write, search, bee:chat, admin',
    );
  });

  it('gives the admin scope only to administrators, and to enrolled ones only after a fresh second factor', async () => {
    const member = await signedIn('MEMBER');
    const refused = await t.run(member.viewer, CREATE, { input: { name: 'k', scopes: ['admin'] } });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');

    const admin = await signedIn('ADMIN');
    expect((await createKey(admin.viewer, { scopes: ['admin'] })).apiKey.scopes).toEqual(['admin']);

    const em = t.em();
    em.create(TotpFactor, { user: admin.user, secretCiphertext: 'x', confirmedAt: new Date() });
    await em.flush();
    const stale = await t.run(admin.viewer, CREATE, { input: { name: 'k', scopes: ['admin'] } });
    expect(stale.errors?.[0].extensions?.code).toBe('STEP_UP_REQUIRED');
    // The same person in a session that just proved the factor may.
    const fresh = t.em();
    const session = fresh.create(Session, {
      tokenHash: randomBytes(32).toString('hex'),
      user: admin.user.id,
      expiresAt: new Date(Date.now() + 3_600_000),
      aal: 'aal2',
      secondFactorAt: new Date(),
    });
    await fresh.flush();
    await createKey({ ...admin.viewer, sessionId: session.id }, { scopes: ['admin', 'search'] });
    // Non-admin scopes need no step-up even when enrolled.
    await createKey(admin.viewer, { scopes: ['search'] });
  });

  it('gives a viewer no write scopes: the role creates nothing, so the key could not either', async () => {
    const viewer = await signedIn('VIEWER');
    for (const scope of ['honey-jars:write', 'documents:write']) {
      const refused = await t.run(viewer.viewer, CREATE, { input: { name: 'k', scopes: ['search', scope] } });
      expect(refused.errors?.[0]).toMatchObject({
        message:
          "A viewer's key cannot hold write scopes (honey-jars:write, documents:write): the role creates nothing",
        extensions: { code: 'FORBIDDEN' },
      });
    }
    expect(await t.em().count(ApiKey, { user: viewer.user.id })).toBe(0);
    const reading = await createKey(viewer.viewer, { scopes: ['honey-jars:read', 'search', 'bee:chat'] });
    expect(reading.apiKey.scopes).toEqual(['honey-jars:read', 'search', 'bee:chat']);
    const member = await signedIn('MEMBER');
    const writing = await createKey(member.viewer, { scopes: ['honey-jars:write', 'documents:write'] });
    expect(writing.apiKey.scopes).toEqual(['honey-jars:write', 'documents:write']);
  });

  it('never lets an API key create, list or revoke keys', async () => {
    const { user, viewer } = await signedIn();
    const { apiKey } = await createKey(viewer);
    const asKey: Viewer = {
      ...(viewerOf(user) as UserViewer),
      apiKey: { id: apiKey.id, scopes: ['honey-jars:read', 'admin'] },
    };
    for (const [query, variables] of [
      [CREATE, { input: { name: 'child', scopes: ['search'] } }],
      [LIST, {}],
      [REVOKE, { id: apiKey.id }],
    ] as const) {
      const result = await t.run(asKey, query, variables);
      expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect(await t.em().count(ApiKey, { user: user.id })).toBe(1);
  });

  it('holds a person to MAX_LIVE_KEYS live keys, even when they are asked for all at once', async () => {
    const { user, viewer } = await signedIn();
    const em = t.em();
    for (let i = 0; i < MAX_LIVE_KEYS - 3; i++)
      em.create(ApiKey, {
        user,
        name: `old ${i}`,
        prefix: randomBytes(4).toString('hex'),
        keyHash: randomBytes(32).toString('hex'),
        scopes: ['search'],
        createdAt: new Date(),
      });
    await em.flush();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.run(viewer, CREATE, { input: { name: `burst ${i}`, scopes: ['search'] } }),
      ),
    );
    expect(results.filter((r) => !r.errors)).toHaveLength(3);
    expect(new Set(results.flatMap((r) => r.errors ?? []).map((e) => e.message))).toEqual(
      new Set([`At most ${MAX_LIVE_KEYS} keys at a time; revoke one first`]),
    );
    expect(await t.em().count(ApiKey, { user: user.id, revokedAt: null })).toBe(MAX_LIVE_KEYS);
  });

  it('makes no key for a session that ended, or an owner disabled, while the request was on its way', async () => {
    // A password reset or disabling revokes every key and ends every session; a request that the gateway let in
    // just before must not leave a key made after them.
    const ended = await signedIn();
    await t.em().nativeDelete(Session, { id: ended.viewer.sessionId });
    const disabled = await signedIn();
    await t.em().nativeUpdate(User, { id: disabled.user.id }, { disabledAt: new Date() });
    for (const { user, viewer } of [ended, disabled]) {
      const refused = await t.run(viewer, CREATE, { input: { name: 'late', scopes: ['honey-jars:read'] } });
      expect(refused.errors?.[0]).toMatchObject({
        message: 'Your session has ended; sign in again',
        extensions: { code: 'UNAUTHENTICATED' },
      });
      expect(await t.em().count(ApiKey, { user: user.id })).toBe(0);
    }
  });

  it('refuses anonymous callers', async () => {
    const result = await t.run(null, CREATE, { input: { name: 'k', scopes: ['search'] } });
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('apiKeys and revokeApiKey', () => {
  it('lists only the viewer’s keys, newest first, revoked ones marked', async () => {
    const { viewer } = await signedIn();
    const other = await signedIn();
    const first = await createKey(viewer, { name: 'first' });
    const second = await createKey(viewer, { name: 'second' });
    await createKey(other.viewer, { name: 'not mine' });
    expect((await t.run(viewer, REVOKE, { id: first.apiKey.id })).data.revokeApiKey).toBe(true);
    const listed = await t.run(viewer, LIST);
    expect(listed.data.apiKeys.map((k: { name: string }) => k.name)).toEqual(['second', 'first']);
    expect(listed.data.apiKeys[0].revokedAt).toBeNull();
    expect(listed.data.apiKeys[1].revokedAt).not.toBeNull();
    expect(listed.data.apiKeys[0].prefix).toBe(second.key.slice(0, 14));
  });

  it('revokes once, announces it on the outbox and audits it; someone else’s key is not found', async () => {
    const { user, viewer } = await signedIn();
    const { key, apiKey } = await createKey(viewer);
    const stranger = await signedIn();
    const notFound = await t.run(stranger.viewer, REVOKE, { id: apiKey.id });
    expect(notFound.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const malformed = await t.run(viewer, REVOKE, { id: 'nope' });
    expect(malformed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });

    expect((await t.run(viewer, REVOKE, { id: apiKey.id })).data.revokeApiKey).toBe(true);
    expect((await t.run(viewer, REVOKE, { id: apiKey.id })).data.revokeApiKey).toBe(false);
    expect((await resolve(key)).data.apiKeyViewer).toBeNull();

    const events = await t.em().find(OutboxEvent, { topic: Topics.identity.apiKeyRevoked });
    expect(events.map((e) => e.envelope.payload)).toContainEqual({ apiKeyId: apiKey.id, userId: user.id });
    expect((await auditOf(apiKey.id)).map((r) => r.action)).toEqual(['api_key.created', 'api_key.revoked']);
  });

  it('lets an administrator revoke anyone’s key', async () => {
    const owner = await signedIn();
    const admin = await signedIn('ADMIN');
    const { apiKey } = await createKey(owner.viewer);
    expect((await t.run(admin.viewer, REVOKE, { id: apiKey.id })).data.revokeApiKey).toBe(true);
  });
});

describe('apiKeyViewer', () => {
  it('answers the owner with the key’s claims and no session, for the gateway only', async () => {
    const { user, viewer } = await signedIn('VIEWER');
    const jar = randomUUID();
    const { key, apiKey } = await createKey(viewer, { scopes: ['search'], honeyJarIds: [jar] });
    const result = await resolve(key);
    expect(result.errors).toBeUndefined();
    expect(result.data.apiKeyViewer).toEqual({
      id: user.id,
      role: 'VIEWER',
      email: user.email,
      displayName: user.displayName,
      sessionId: null,
      apiKey: { id: apiKey.id, scopes: ['search'], honeyJarIds: [jar] },
    });
    for (const caller of [null, viewer]) {
      const refused = await t.run(caller, RESOLVE, { key });
      expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });

  it('answers null for unknown, malformed, expired keys and for disabled or deleted owners', async () => {
    const { user, viewer } = await signedIn();
    const { key, apiKey } = await createKey(viewer);
    expect((await resolve(`sting_${randomBytes(32).toString('base64url')}`)).data.apiKeyViewer).toBeNull();
    expect((await resolve('sting_short')).data.apiKeyViewer).toBeNull();
    expect((await resolve(key.slice(6))).data.apiKeyViewer).toBeNull();

    const em = t.em();
    await em.nativeUpdate(ApiKey, { id: apiKey.id }, { expiresAt: new Date(Date.now() - 1000) });
    expect((await resolve(key)).data.apiKeyViewer).toBeNull();
    await em.nativeUpdate(ApiKey, { id: apiKey.id }, { expiresAt: null });
    expect((await resolve(key)).data.apiKeyViewer).not.toBeNull();

    await em.nativeUpdate(User, { id: user.id }, { disabledAt: new Date() });
    expect((await resolve(key)).data.apiKeyViewer).toBeNull();
    await em.nativeUpdate(User, { id: user.id }, { disabledAt: null });
    expect((await resolve(key)).data.apiKeyViewer).not.toBeNull();

    await em.nativeDelete(User, { id: user.id });
    expect((await resolve(key)).data.apiKeyViewer).toBeNull();
    expect(await t.em().count(ApiKey, { id: apiKey.id })).toBe(0);
  });

  it('follows the owner’s role as it is now', async () => {
    const { user, viewer } = await signedIn('ADMIN');
    const { key } = await createKey(viewer, { scopes: ['admin'] });
    await t.em().nativeUpdate(User, { id: user.id }, { role: 'VIEWER' });
    expect((await resolve(key)).data.apiKeyViewer.role).toBe('VIEWER');
  });

  it('records lastUsedAt and an api_key.used audit record at most once a minute per key', async () => {
    const { user, viewer } = await signedIn();
    const { key, apiKey } = await createKey(viewer);
    await Promise.all([resolve(key), resolve(key), resolve(key)]);
    const em = t.em();
    const first = (await em.findOneOrFail(ApiKey, apiKey.id)).lastUsedAt;
    expect(first).toBeInstanceOf(Date);
    await resolve(key);
    expect((await t.em().findOneOrFail(ApiKey, apiKey.id)).lastUsedAt).toEqual(first);
    let used = (await auditOf(apiKey.id)).filter((r) => r.action === 'api_key.used');
    expect(used).toEqual([
      { action: 'api_key.used', actor_id: user.id, api_key_id: apiKey.id, outcome: 'success' },
    ]);

    // A minute later the next use is recorded again.
    await em.nativeUpdate(
      ApiKey,
      { id: apiKey.id },
      { lastUsedAt: new Date(Date.now() - USE_RECORD_INTERVAL_MS - 1000) },
    );
    await resolve(key);
    const again = (await t.em().findOneOrFail(ApiKey, apiKey.id)).lastUsedAt!;
    expect(Date.now() - again.getTime()).toBeLessThan(10_000);
    used = (await auditOf(apiKey.id)).filter((r) => r.action === 'api_key.used');
    expect(used).toHaveLength(2);
    // It shows in the owner's list.
    const listed = await t.run(viewer, `{ apiKeys { lastUsedAt } }`);
    expect(listed.data.apiKeys[0].lastUsedAt).toBe(again.toISOString());
  });
});
