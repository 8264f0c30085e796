// Signing in and out against a real database: one error for every bad credential, hashed tokens, expiry.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startTestRuntime, type TestRuntime } from '@sting/kit/testing';
import { subgraph } from '../src/index.ts';
import { createHash } from 'node:crypto';
import { Session } from '../src/entities/session.ts';
import { scryptSync, randomBytes } from 'node:crypto';
import { User } from '../src/entities/user.ts';
import { CURRENT_PARAMS } from '../src/domain/passwords.ts';
import {
  endSessions,
  endSessionsExcept,
  findSession,
  liveSessions,
  login,
  purgeExpiredSessions,
  resolveSession,
  sessionEndsAt,
} from '../src/domain/sessions.ts';
import { identitySettings } from '../src/domain/settings.ts';
import { buildUser, TEST_PASSWORD, uniqueEmail } from './factories.ts';

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime(subgraph);
});
afterAll(async () => {
  await t.close();
});

async function failure(run: Promise<unknown>) {
  try {
    await run;
  } catch (err) {
    return { code: (err as { code?: string }).code, message: (err as Error).message };
  }
  throw new Error('expected a failure');
}

describe('login', () => {
  it('issues a session for the right password, case-insensitively on the email', async () => {
    const user = await buildUser(t.em());
    const session = await login(t.em(), user.email.toUpperCase(), TEST_PASSWORD, {
      limits: { absoluteLifetimeHours: 2 },
    });
    expect(session.user.id).toBe(user.id);
    expect(Buffer.from(session.token, 'base64url')).toHaveLength(32);
    const hours = (session.expiresAt.getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(1.99);
    expect(hours).toBeLessThanOrEqual(2);
  });

  it('stores only the SHA-256 of the token', async () => {
    const user = await buildUser(t.em());
    const { token } = await login(t.em(), user.email, TEST_PASSWORD);
    const rows = await t.em().find(Session, { user: user.id });
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(rows[0].tokenHash).not.toContain(token);
  });

  it('answers a wrong password and an unknown email with the same UNAUTHENTICATED error', async () => {
    const user = await buildUser(t.em());
    const wrongPassword = await failure(login(t.em(), user.email, 'not the password at all'));
    const unknownEmail = await failure(login(t.em(), uniqueEmail('nobody'), TEST_PASSWORD));
    expect(wrongPassword.code).toBe('UNAUTHENTICATED');
    expect(unknownEmail).toEqual(wrongPassword);
    expect(await t.em().count(Session, { user: user.id })).toBe(0);
  });
});

describe('sessions', () => {
  it('resolves a live token to its user and an unknown one to null', async () => {
    const user = await buildUser(t.em());
    const { token } = await login(t.em(), user.email, TEST_PASSWORD);
    expect((await resolveSession(t.em(), token))?.id).toBe(user.id);
    expect(await resolveSession(t.em(), token + 'x')).toBeNull();
    expect(await resolveSession(t.em(), '')).toBeNull();
  });

  it('stops resolving a token once it has expired', async () => {
    const user = await buildUser(t.em());
    const { token } = await login(t.em(), user.email, TEST_PASSWORD);
    const em = t.em();
    const row = await em.findOneOrFail(Session, { user: user.id });
    row.expiresAt = new Date(Date.now() - 1000);
    await em.flush();
    expect(await resolveSession(t.em(), token)).toBeNull();
  });

  it('ends every session of a user on logout, leaving other users signed in', async () => {
    const [a, b] = [await buildUser(t.em()), await buildUser(t.em())];
    const first = await login(t.em(), a.email, TEST_PASSWORD);
    const second = await login(t.em(), a.email, TEST_PASSWORD);
    const other = await login(t.em(), b.email, TEST_PASSWORD);
    expect(await endSessions(t.em(), a.id)).toBe(2);
    expect(await resolveSession(t.em(), first.token)).toBeNull();
    expect(await resolveSession(t.em(), second.token)).toBeNull();
    expect((await resolveSession(t.em(), other.token))?.id).toBe(b.id);
  });
});

describe('idle timeout, lifetime and disabled users', () => {
  const limits = { idleTimeoutMinutes: 30, absoluteLifetimeHours: 24 };
  const rowOf = (token: string) =>
    t.em().findOneOrFail(Session, { tokenHash: createHash('sha256').update(token).digest('hex') });

  it('records the client and address the session began from, and the sign-in time', async () => {
    const user = await buildUser(t.em());
    const { token } = await login(t.em(), user.email, TEST_PASSWORD, {
      client: { address: '203.0.113.7', userAgent: 'Firefox/140' },
    });
    const row = await rowOf(token);
    expect(row).toMatchObject({
      client: 'Firefox/140',
      address: '203.0.113.7',
      aal: 'aal1',
      method: 'password',
    });
    const stored = await t.em().findOneOrFail(User, { id: user.id });
    expect(stored.lastSignInAt!.getTime()).toBeGreaterThan(Date.now() - 10_000);
  });

  it('refuses a session idle for longer than the timeout, and ends it at the idle or absolute end', async () => {
    const user = await buildUser(t.em());
    const { token } = await login(t.em(), user.email, TEST_PASSWORD, { limits });
    const row = await rowOf(token);
    expect(sessionEndsAt(row, limits).getTime()).toBe(row.lastUsedAt.getTime() + 30 * 60_000);
    await t.em().nativeUpdate(Session, { id: row.id }, { lastUsedAt: new Date(Date.now() - 31 * 60_000) });
    expect(await findSession(t.em(), token, limits)).toBeNull();
    // The same session is still live under a longer idle timeout: the timeout is config, not stored.
    expect(await findSession(t.em(), token, { ...limits, idleTimeoutMinutes: 60 })).not.toBeNull();
  });

  it('marks a session used at most once a minute', async () => {
    const user = await buildUser(t.em());
    const { token } = await login(t.em(), user.email, TEST_PASSWORD, { limits });
    const row = await rowOf(token);
    const twoMinutesAgo = new Date(Date.now() - 120_000);
    await t.em().nativeUpdate(Session, { id: row.id }, { lastUsedAt: twoMinutesAgo });
    await findSession(t.em(), token, limits);
    const touched = (await rowOf(token)).lastUsedAt.getTime();
    expect(touched).toBeGreaterThan(Date.now() - 10_000);
    // A second lookup within the minute leaves it as it is.
    const tenSecondsAgo = new Date(Date.now() - 10_000);
    await t.em().nativeUpdate(Session, { id: row.id }, { lastUsedAt: tenSecondsAgo });
    await findSession(t.em(), token, limits);
    expect((await rowOf(token)).lastUsedAt.getTime()).toBe(tenSecondsAgo.getTime());
  });

  it("refuses a disabled user's sessions and password", async () => {
    const user = await buildUser(t.em());
    const { token } = await login(t.em(), user.email, TEST_PASSWORD);
    await t.em().nativeUpdate(User, { id: user.id }, { disabledAt: new Date() });
    expect(await resolveSession(t.em(), token)).toBeNull();
    await expect(login(t.em(), user.email, TEST_PASSWORD)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('lists live sessions and ends all but one', async () => {
    const user = await buildUser(t.em());
    const kept = await login(t.em(), user.email, TEST_PASSWORD);
    const other = await login(t.em(), user.email, TEST_PASSWORD);
    const idle = await login(t.em(), user.email, TEST_PASSWORD);
    const idleRow = await rowOf(idle.token);
    await t.em().nativeUpdate(Session, { id: idleRow.id }, { lastUsedAt: new Date(Date.now() - 3_600_000) });
    const listed = await liveSessions(t.em(), user.id, limits);
    expect(listed.map((s) => s.id).sort()).toEqual([kept.session.id, other.session.id].sort());
    const ended = await endSessionsExcept(t.em(), user.id, kept.session.id);
    expect(ended.sort()).toEqual([other.session.id, idleRow.id].sort());
    expect((await resolveSession(t.em(), kept.token))?.id).toBe(user.id);
    expect(await resolveSession(t.em(), other.token)).toBeNull();
  });

  it('reads the limits from config, and the old sessionTtlHours as the absolute lifetime', () => {
    expect(identitySettings({ identity: { sessions: { idleTimeoutMinutes: 15 } } }).sessions).toEqual({
      idleTimeoutMinutes: 15,
      absoluteLifetimeHours: 24,
    });
    expect(identitySettings({ identity: { sessionTtlHours: 5 } }).sessions.absoluteLifetimeHours).toBe(5);
  });
});

describe('housekeeping', () => {
  it('upgrades a password hashed with weaker parameters when its owner signs in', async () => {
    const user = await buildUser(t.em());
    const salt = randomBytes(16);
    const key = scryptSync(TEST_PASSWORD, salt, 64, { N: 2 ** 14, r: 8, p: 1 });
    const weak = ['scrypt', 2 ** 14, 8, 1, salt.toString('base64url'), key.toString('base64url')].join('$');
    await t.em().nativeUpdate(User, { id: user.id }, { passwordHash: weak });

    await login(t.em(), user.email, TEST_PASSWORD);
    const stored = await t.em().findOneOrFail(User, { id: user.id }, { populate: ['passwordHash'] });
    expect(stored.passwordHash).toMatch(new RegExp(`^scrypt\\$${CURRENT_PARAMS.N}\\$`));
    await expect(login(t.em(), user.email, TEST_PASSWORD)).resolves.toBeDefined();
  });

  it('purges expired sessions and keeps live ones', async () => {
    const user = await buildUser(t.em());
    const live = await login(t.em(), user.email, TEST_PASSWORD);
    const old = await login(t.em(), user.email, TEST_PASSWORD);
    const em = t.em();
    const row = await em.findOneOrFail(Session, {
      tokenHash: createHash('sha256').update(old.token).digest('hex'),
    });
    row.expiresAt = new Date(Date.now() - 60_000);
    await em.flush();
    const idle = await login(t.em(), user.email, TEST_PASSWORD);
    await em.nativeUpdate(
      Session,
      { tokenHash: createHash('sha256').update(idle.token).digest('hex') },
      { lastUsedAt: new Date(Date.now() - 2 * 3_600_000) },
    );
    const limits = { idleTimeoutMinutes: 60, absoluteLifetimeHours: 24 };
    expect(await purgeExpiredSessions(t.em(), new Date(), limits)).toBeGreaterThanOrEqual(2);
    expect(await t.em().count(Session, { user: user.id })).toBe(1);
    expect((await resolveSession(t.em(), live.token))?.id).toBe(user.id);
  });
});
