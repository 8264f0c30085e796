// A person's own account against a real database: display name, password change (current one required, other
// sessions end), listing and ending sessions, and one-time password-reset links.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createHash } from 'node:crypto';
import { OutboxEvent, Topics, type Viewer } from '@sting/kit';
import { startTestRuntime, type TestRuntime } from '@sting/kit/testing';
import { subgraph } from '../src/index.ts';
import { PasswordReset } from '../src/entities/password-reset.ts';
import { Session } from '../src/entities/session.ts';
import { login, resolveSession } from '../src/domain/sessions.ts';
import { ApiKey } from '../src/entities/api-key.ts';
import { apiKeysOf, auditRecordsOf, buildUser, TEST_PASSWORD, viewerOf } from './factories.ts';

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime(subgraph, {
    config: { identity: { publicUrl: 'https://sting.example/' }, gateway: { port: 4000 } },
  });
});
afterAll(async () => {
  await t.close();
});
const keys = () => apiKeysOf(t);

const run = (viewer: Viewer | null, query: string, variables?: Record<string, unknown>) =>
  t.run<any>(viewer, query, variables);

async function signedIn(role: 'ADMIN' | 'MEMBER' = 'MEMBER') {
  const user = await buildUser(t.em(), { role });
  const issued = await login(t.em(), user.email, TEST_PASSWORD, {
    client: { address: '198.51.100.4', userAgent: 'Test Browser/1.0' },
  });
  return { user, token: issued.token, viewer: { ...viewerOf(user), sessionId: issued.session.id } as Viewer };
}

const sessionIdOf = (viewer: Viewer) => (viewer as { sessionId: string }).sessionId;

async function endedAnnounced(userId: string) {
  const rows = await t
    .em()
    .find(OutboxEvent, { topic: 'identity.user.changed' }, { orderBy: { seq: 'asc' } });
  return rows
    .map((r) => r.envelope.payload as { userId: string; reason: string; sessionIds?: string[] })
    .filter((p) => p.userId === userId && p.reason === 'sessions-ended');
}

describe('updateProfile', () => {
  const UPDATE = `mutation($name: String!) { updateProfile(input: { displayName: $name }) { id displayName } }`;

  it('changes the signed-in person’s display name, trimmed, and checks its length', async () => {
    const me = await signedIn();
    const result = await run(me.viewer, UPDATE, { name: '  Queen Bee  ' });
    expect(result.data.updateProfile).toEqual({ id: me.user.id, displayName: 'Queen Bee' });
    const tooLong = await run(me.viewer, UPDATE, { name: 'x'.repeat(121) });
    expect(tooLong.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'displayName' });
    // A name that shows as another's ("Admin" written backwards behind a direction override) is refused.
    const spoof = await run(me.viewer, UPDATE, { name: '\u202enimdA' });
    expect(spoof.errors?.[0]).toMatchObject({
      message: 'Display name must not contain text-direction override characters',
      extensions: { code: 'BAD_USER_INPUT', field: 'displayName' },
    });
    expect((await run(null, UPDATE, { name: 'Anon' })).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('is refused to an API key (one’s own account takes a session)', async () => {
    const me = await signedIn();
    const key = {
      ...me.viewer,
      sessionId: undefined,
      apiKey: { id: me.user.id, scopes: ['admin'] },
    } as Viewer;
    expect((await run(key, UPDATE, { name: 'Key' })).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('changePassword', () => {
  const CHANGE = `mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) }`;

  it('needs the current password and ends every other session, keeping this one', async () => {
    const me = await signedIn();
    const elsewhere = await login(t.em(), me.user.email, TEST_PASSWORD);
    const wrong = await run(me.viewer, CHANGE, { c: 'not my password at all', n: 'a brand new password' });
    expect(wrong.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'currentPassword' });
    const short = await run(me.viewer, CHANGE, { c: TEST_PASSWORD, n: 'short' });
    expect(short.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
    // Not one guessed first, not the person's own email, not the password it replaces.
    const common = await run(me.viewer, CHANGE, { c: TEST_PASSWORD, n: 'Password2024!' });
    expect(common.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/too common/),
      extensions: { code: 'BAD_USER_INPUT', field: 'newPassword' },
    });
    const own = await run(me.viewer, CHANGE, { c: TEST_PASSWORD, n: me.user.email });
    expect(own.errors?.[0].message).toMatch(/your email address or your name/);
    const same = await run(me.viewer, CHANGE, { c: TEST_PASSWORD, n: TEST_PASSWORD });
    expect(same.errors?.[0]).toMatchObject({
      message: 'The new password must differ from the current one',
      extensions: { field: 'newPassword' },
    });
    expect(await resolveSession(t.em(), elsewhere.token)).not.toBeNull();

    const script = await keys().create(me.viewer);
    const changed = await run(me.viewer, CHANGE, { c: TEST_PASSWORD, n: 'a brand new password' });
    expect(changed.errors).toBeUndefined();
    expect(changed.data.changePassword).toBe(true);
    // Knowing the current password is no recovery from a takeover: the person's keys keep working.
    expect(await keys().works(script.key)).toBe(true);
    expect(await resolveSession(t.em(), elsewhere.token)).toBeNull();
    expect((await resolveSession(t.em(), me.token))?.id).toBe(me.user.id);
    await expect(login(t.em(), me.user.email, TEST_PASSWORD)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(login(t.em(), me.user.email, 'a brand new password')).resolves.toBeDefined();
    expect(await endedAnnounced(me.user.id)).toEqual([
      { userId: me.user.id, reason: 'sessions-ended', sessionIds: [elsewhere.session.id] },
    ]);
  });
});

describe('mySessions, endSession and endOtherSessions', () => {
  const MINE = `{ mySessions { id createdAt lastUsedAt expiresAt client address aal current } }`;

  it('lists the person’s live sessions with their client and address, marking the current one', async () => {
    const me = await signedIn();
    const other = await login(t.em(), me.user.email, TEST_PASSWORD);
    const stranger = await signedIn();
    const result = await run(me.viewer, MINE);
    expect(result.errors).toBeUndefined();
    const listed = result.data.mySessions as { id: string; current: boolean }[];
    expect(listed.map((s) => s.id).sort()).toEqual([sessionIdOf(me.viewer), other.session.id].sort());
    expect(listed.map((s) => s.id)).not.toContain(sessionIdOf(stranger.viewer));
    const current = result.data.mySessions.find((s: { current: boolean }) => s.current);
    expect(current).toMatchObject({
      id: sessionIdOf(me.viewer),
      client: 'Test Browser/1.0',
      address: '198.51.100.4',
      aal: 'aal1',
    });
    // The idle timeout (720 minutes by default) comes before the 24-hour lifetime.
    const ends = new Date(current.expiresAt).getTime() - new Date(current.lastUsedAt).getTime();
    expect(ends).toBe(720 * 60_000);
  });

  it('ends one session of the person’s own, never someone else’s', async () => {
    const me = await signedIn();
    const other = await login(t.em(), me.user.email, TEST_PASSWORD);
    const stranger = await signedIn();
    const END = `mutation($id: ID!) { endSession(id: $id) }`;
    expect((await run(me.viewer, END, { id: sessionIdOf(stranger.viewer) })).data.endSession).toBe(false);
    expect(await resolveSession(t.em(), stranger.token)).not.toBeNull();
    expect((await run(me.viewer, END, { id: 'nope' })).data.endSession).toBe(false);
    expect((await run(me.viewer, END, { id: other.session.id })).data.endSession).toBe(true);
    expect(await resolveSession(t.em(), other.token)).toBeNull();
    expect(await endedAnnounced(me.user.id)).toEqual([
      { userId: me.user.id, reason: 'sessions-ended', sessionIds: [other.session.id] },
    ]);
  });

  it('ends all the others and answers how many', async () => {
    const me = await signedIn();
    await login(t.em(), me.user.email, TEST_PASSWORD);
    await login(t.em(), me.user.email, TEST_PASSWORD);
    const result = await run(me.viewer, `mutation { endOtherSessions }`);
    expect(result.data.endOtherSessions).toBe(2);
    expect(await t.em().count(Session, { user: me.user.id })).toBe(1);
    expect((await resolveSession(t.em(), me.token))?.id).toBe(me.user.id);
  });
});

describe('logout', () => {
  it('ends the request’s own session and announces it, so gateways drop it at once', async () => {
    const me = await signedIn();
    const other = await login(t.em(), me.user.email, TEST_PASSWORD);
    expect((await run(me.viewer, `mutation { logout }`)).data.logout).toBe(true);
    expect(await resolveSession(t.em(), me.token)).toBeNull();
    expect((await resolveSession(t.em(), other.token))?.id).toBe(me.user.id);
    expect(await endedAnnounced(me.user.id)).toEqual([
      { userId: me.user.id, reason: 'sessions-ended', sessionIds: [sessionIdOf(me.viewer)] },
    ]);
  });
});

describe('password-reset links', () => {
  const ISSUE = `mutation($id: ID!) { createPasswordResetLink(userId: $id) { url expiresAt } }`;
  const RESET = `mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }`;
  const tokenOf = (url: string) => new URL(url).hash.replace('#token=', '');

  it('issues a 30-minute link to the web app’s reset page, stored only as a hash', async () => {
    const admin = await signedIn('ADMIN');
    const person = await buildUser(t.em());
    const issued = await run(admin.viewer, ISSUE, { id: person.id });
    expect(issued.errors).toBeUndefined();
    const { url, expiresAt } = issued.data.createPasswordResetLink;
    expect(url).toMatch(/^https:\/\/sting\.example\/reset-password#token=[\w-]{43}$/);
    const minutes = (new Date(expiresAt).getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(29.9);
    expect(minutes).toBeLessThanOrEqual(30);
    const token = tokenOf(url);
    const row = await t.em().findOneOrFail(PasswordReset, { user: person.id });
    expect(row.tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(token);
  });

  it('sets the password once, ends the person’s sessions, and refuses a second use', async () => {
    const admin = await signedIn('ADMIN');
    const person = await signedIn();
    const { url } = (await run(admin.viewer, ISSUE, { id: person.user.id })).data.createPasswordResetLink;
    const token = tokenOf(url);
    const used = await run(null, RESET, { t: token, p: 'reset to something new' });
    expect(used.errors).toBeUndefined();
    expect(used.data.resetPassword).toBe(true);
    expect(await resolveSession(t.em(), person.token)).toBeNull();
    await expect(login(t.em(), person.user.email, 'reset to something new')).resolves.toBeDefined();

    const again = await run(null, RESET, { t: token, p: 'and once more again' });
    expect(again.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    await expect(login(t.em(), person.user.email, 'reset to something new')).resolves.toBeDefined();
  });

  it('revokes every API key of the person, each announced and audited, and records how many', async () => {
    const admin = await signedIn('ADMIN');
    const person = await signedIn();
    const stranger = await signedIn();
    // Keys made while someone else held the account, and one the person had already revoked.
    const [first, second, gone] = [
      await keys().create(person.viewer, 'intruder'),
      await keys().create(person.viewer, 'nightly'),
      await keys().create(person.viewer, 'old'),
    ];
    expect(
      (await run(person.viewer, `mutation($id: ID!) { revokeApiKey(id: $id) }`, { id: gone.id })).errors,
    ).toBeUndefined();
    const theirs = await keys().create(stranger.viewer);
    const { url } = (await run(admin.viewer, ISSUE, { id: person.user.id })).data.createPasswordResetLink;

    const used = await run(null, RESET, { t: tokenOf(url), p: 'reset to something new' });
    expect(used.errors).toBeUndefined();
    expect(await keys().works(first.key)).toBe(false);
    expect(await keys().works(second.key)).toBe(false);
    expect(await keys().works(theirs.key)).toBe(true);
    const rows = await t.em().find(ApiKey, { user: person.user.id });
    expect(rows.every((row) => row.revokedAt instanceof Date)).toBe(true);

    const announced = await t.em().find(OutboxEvent, { topic: Topics.identity.apiKeyRevoked });
    const revokedIds = announced
      .map((e) => e.envelope.payload as { apiKeyId: string; userId: string })
      .filter((p) => p.userId === person.user.id)
      .map((p) => p.apiKeyId);
    // The one revoked by hand earlier is announced once, by then; the reset announces the other two.
    expect(revokedIds.sort()).toEqual([first.id, second.id, gone.id].sort());
    for (const key of [first, second]) {
      const revoked = (await auditRecordsOf(t.em(), key.id)).filter((r) => r.action === 'api_key.revoked');
      expect(revoked).toEqual([
        expect.objectContaining({
          actor_id: person.user.id,
          outcome: 'success',
          details: expect.objectContaining({ reason: 'user.password_reset', ownerId: person.user.id }),
        }),
      ]);
    }
    const reset = (await auditRecordsOf(t.em(), person.user.id)).find(
      (r) => r.action === 'user.password_reset',
    );
    expect(reset?.details).toEqual({ sessionsEnded: 1, apiKeysRevoked: 2 });
  });

  it('refuses an expired or unknown token and a weak password, writing nothing', async () => {
    const admin = await signedIn('ADMIN');
    const person = await buildUser(t.em());
    const { url } = (await run(admin.viewer, ISSUE, { id: person.id })).data.createPasswordResetLink;
    const token = tokenOf(url);
    const weak = await run(null, RESET, { t: token, p: 'short' });
    expect(weak.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
    expect((await t.em().findOneOrFail(PasswordReset, { user: person.id })).usedAt).toBeNull();
    // The person's own email is refused once the link names them, and the link stays unused.
    const own = await run(null, RESET, { t: token, p: person.email });
    expect(own.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/your email address or your name/),
      extensions: { code: 'BAD_USER_INPUT', field: 'newPassword' },
    });
    expect((await t.em().findOneOrFail(PasswordReset, { user: person.id })).usedAt).toBeNull();
    await t.em().nativeUpdate(PasswordReset, { user: person.id }, { expiresAt: new Date(Date.now() - 1000) });
    const expired = await run(null, RESET, { t: token, p: 'a perfectly fine password' });
    expect(expired.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
    const unknown = await run(null, RESET, { t: 'x'.repeat(43), p: 'a perfectly fine password' });
    expect(unknown.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    await expect(login(t.em(), person.email, TEST_PASSWORD)).resolves.toBeDefined();
  });

  it('is issued by admins only', async () => {
    const member = await signedIn();
    const person = await buildUser(t.em());
    expect((await run(member.viewer, ISSUE, { id: person.id })).errors?.[0].extensions?.code).toBe(
      'FORBIDDEN',
    );
  });
});
