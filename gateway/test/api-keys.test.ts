// API keys at the gateway: which header carries what (a key, a session token, or a malformed credential that must
// answer 401), the key's own rate-limit bucket, and a revoked key forgotten from the session cache at once.
import { describe, it, expect } from '@jest/globals';
import pino from 'pino';
import { createEvent, EventTypes, InProcessEventBus, Topics, type Viewer } from '@sting/kit';
import { waitFor } from '@sting/kit/testing';
import { ApiKeys, credentialFromConnectionParams, credentialFromHeaders } from '../src/identity/api-keys.ts';
import { InvalidSessionError, SessionResolver } from '../src/identity/session-resolver.ts';
import {
  MALFORMED_CREDENTIALS,
  sessionFromConnectionParams,
  sessionFromHeaders,
} from '../src/identity/session-token.ts';
import { clientBucket } from '../src/plugins/rate-limit.ts';

const KEY = `sting_${'A'.repeat(43)}`;
const OTHER_KEY = `sting_${'B'.repeat(43)}`;
const fromHeaders = (headers: Record<string, string | string[]>) =>
  credentialFromHeaders(headers, sessionFromHeaders);

describe('credentials in headers', () => {
  it('reads a key from Authorization: Bearer or X-API-Key, and a session token as before', () => {
    expect(fromHeaders({ authorization: `Bearer ${KEY}` })).toEqual({ token: KEY, source: 'bearer' });
    expect(fromHeaders({ 'x-api-key': KEY })).toEqual({ token: KEY, source: 'bearer' });
    expect(fromHeaders({ authorization: `bearer ${KEY}`, 'x-api-key': KEY })).toEqual({
      token: KEY,
      source: 'bearer',
    });
    expect(fromHeaders({ authorization: 'Bearer session-token' })).toEqual({
      token: 'session-token',
      source: 'bearer',
    });
    expect(fromHeaders({ cookie: 'sting_session=abc' })).toEqual({ token: 'abc', source: 'cookie' });
    expect(fromHeaders({})).toBeUndefined();
    // An empty header is no credential at all.
    expect(fromHeaders({ authorization: '  ' })).toBeUndefined();
  });

  it.each([
    ['Basic', { authorization: 'Basic dXNlcjpwYXNz' }],
    ['three words', { authorization: 'Bearer a b c' }],
    ['an empty Bearer', { authorization: 'Bearer ' }],
    ['a bare Bearer', { authorization: 'Bearer' }],
    ['a token without a scheme', { authorization: KEY }],
    ['an X-API-Key that is not a key', { 'x-api-key': 'hunter2' }],
    ['two X-API-Key headers', { 'x-api-key': [KEY, OTHER_KEY] }],
    ['two different credentials', { authorization: 'Bearer session-token', 'x-api-key': KEY }],
  ])('treats %s as malformed, even beside a session cookie', (_, headers) => {
    expect(fromHeaders({ ...headers, cookie: 'sting_session=abc' })).toBe(MALFORMED_CREDENTIALS);
  });

  it('reads connection_init the same way, any case of the names', () => {
    const fromParams = (params: Record<string, unknown>) =>
      credentialFromConnectionParams(params, sessionFromConnectionParams);
    expect(fromParams({ Authorization: `Bearer ${KEY}` })).toEqual({ token: KEY, source: 'bearer' });
    expect(fromParams({ 'X-API-Key': KEY })).toEqual({ token: KEY, source: 'bearer' });
    expect(fromParams({ token: 'session-token' })).toEqual({ token: 'session-token', source: 'bearer' });
    expect(fromParams({ authorization: 'Basic abc' })).toBe(MALFORMED_CREDENTIALS);
    expect(fromParams({ authorization: 42 })).toBe(MALFORMED_CREDENTIALS);
    expect(fromParams({})).toBeUndefined();
  });

  it('answers a malformed credential 401 without a lookup', async () => {
    let lookups = 0;
    const sessions = new SessionResolver(async () => {
      lookups += 1;
      return null;
    });
    await expect(sessions.authenticate(MALFORMED_CREDENTIALS)).rejects.toBeInstanceOf(InvalidSessionError);
    // It is told the forms the gateway reads, not that its session expired.
    await expect(sessions.authenticate(MALFORMED_CREDENTIALS)).rejects.toMatchObject({
      message: expect.stringContaining('Authorization: Bearer'),
      challenge: 'Bearer error="invalid_request"',
    });
    expect(lookups).toBe(0);
  });
});

describe('the rate-limit bucket', () => {
  it('is the key’s own for a key, the person’s for a session, the address for anonymous callers', () => {
    const owner: Viewer = { kind: 'user', id: 'u1', role: 'MEMBER' };
    expect(clientBucket({ ...owner, apiKey: { id: 'k1', scopes: ['search'] } }, '10.0.0.1')).toBe('key:k1');
    expect(clientBucket(owner, '10.0.0.1')).toBe('user:u1');
    expect(clientBucket(null, '10.0.0.1')).toBe('ip:10.0.0.1');
  });
});

describe('ApiKeys', () => {
  function identity(answers: Map<string, unknown>) {
    const asked: string[] = [];
    const keys = new ApiKeys(async (_query, variables) => {
      asked.push(variables.key as string);
      return { apiKeyViewer: answers.get(variables.key as string) ?? null };
    });
    return { keys, asked };
  }
  const owner = (keyId: string) => ({
    id: 'u1',
    role: 'VIEWER',
    email: 'v@example.test',
    displayName: 'V',
    sessionId: null,
    apiKey: { id: keyId, scopes: ['honey-jars:read', 'time-travel'], honeyJarIds: ['j1'] },
  });

  it('turns a key into its owner narrowed by the key (unknown scopes dropped); cookies never reach it', async () => {
    const { keys, asked } = identity(new Map([[KEY, owner('k1')]]));
    const lookup = keys.inFrontOf(async () => ({ kind: 'user', id: 'by-session', role: 'ADMIN' }));
    expect(await lookup({ token: KEY, source: 'bearer' })).toEqual({
      kind: 'user',
      id: 'u1',
      role: 'VIEWER',
      email: 'v@example.test',
      displayName: 'V',
      apiKey: { id: 'k1', scopes: ['honey-jars:read'], honeyJarIds: ['j1'] },
    });
    expect(await lookup({ token: KEY, source: 'cookie' })).toEqual({
      kind: 'user',
      id: 'by-session',
      role: 'ADMIN',
    });
    expect(await lookup({ token: OTHER_KEY, source: 'bearer' })).toBeNull();
    expect(asked).toEqual([KEY, OTHER_KEY]);
  });

  /** A session cache in front of `keys`, hearing revocations on a bus of its own, for the length of `run`. */
  async function watching(
    keys: ApiKeys,
    run: (sessions: SessionResolver, bus: InProcessEventBus) => Promise<void>,
  ) {
    const sessions = new SessionResolver(
      keys.inFrontOf(async () => null),
      { ttlMs: 60_000 },
    );
    const bus = new InProcessEventBus();
    const stop = await keys.watch(bus, sessions, pino({ level: 'silent' }));
    try {
      await run(sessions, bus);
    } finally {
      await stop();
      await bus.close();
    }
  }

  it('forgets a revoked key at once when identity announces it, and does not let a late lookup back in', async () => {
    const answers = new Map<string, unknown>([[KEY, owner('k1')]]);
    const { keys, asked } = identity(answers);
    await watching(keys, async (sessions, bus) => {
      const presented = { token: KEY, source: 'bearer' as const };
      expect((await sessions.authenticate(presented))?.kind).toBe('user');
      await sessions.authenticate(presented);
      expect(asked).toHaveLength(1); // cached
      await bus.publish(
        Topics.identity.apiKeyRevoked,
        createEvent(EventTypes.apiKeyRevoked, { apiKeyId: 'k1', userId: 'u1' }, { source: 'identity' }),
      );
      // Identity still answers with the key (a replica behind): the gateway refuses it all the same.
      await waitFor(
        () =>
          sessions.authenticate(presented).then(
            () => false,
            (err: unknown) => err instanceof InvalidSessionError,
          ),
        { what: 'the revoked key to be refused' },
      );
      expect(asked.length).toBeGreaterThan(1);
    });
  });

  it('drops a key from the cache the moment it expires', async () => {
    const expiresAt = new Date(Date.now() + 300).toISOString();
    const answers = new Map<string, unknown>([
      [KEY, { ...owner('k2'), apiKey: { ...owner('k2').apiKey, expiresAt } }],
    ]);
    const { keys } = identity(answers);
    await watching(keys, async (sessions) => {
      const presented = { token: KEY, source: 'bearer' as const };
      expect((await sessions.authenticate(presented))?.kind).toBe('user');
      answers.delete(KEY); // identity refuses it once expired
      expect((await sessions.authenticate(presented))?.kind).toBe('user'); // still cached, still valid
      await new Promise((resolve) => setTimeout(resolve, 400));
      await expect(sessions.authenticate(presented)).rejects.toBeInstanceOf(InvalidSessionError);
    });
  });
});
