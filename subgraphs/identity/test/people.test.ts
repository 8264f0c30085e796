// Managing people through the identity API against a real database: listing and searching, roles, disabling,
// deleting (checked before anything is written), who sees whose email and role, and the events and audit records
// each change commits with.
import { randomUUID } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { OutboxEvent, type Viewer } from '@sting/kit';
import { startTestRuntime, type TestRuntime } from '@sting/kit/testing';
import { subgraph } from '../src/index.ts';
import { Session } from '../src/entities/session.ts';
import { TotpFactor } from '../src/entities/totp-factor.ts';
import { User } from '../src/entities/user.ts';
import { login } from '../src/domain/sessions.ts';
import { findUsersByIds } from '../src/domain/users.ts';
import { ApiKey } from '../src/entities/api-key.ts';
import { apiKeysOf, auditRecordsOf, buildUser, SYSTEM, TEST_PASSWORD, viewerOf } from './factories.ts';

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime(subgraph);
});
afterAll(async () => {
  await t.close();
});

type UserRow = Awaited<ReturnType<typeof buildUser>>;
const run = (viewer: Viewer | null, query: string, variables?: Record<string, unknown>) =>
  t.run<any>(viewer, query, variables);

/** A signed-in person with a real session (step-up and "current session" need one). */
async function signedIn(role: 'ADMIN' | 'MEMBER' | 'VIEWER' = 'MEMBER') {
  const user = await buildUser(t.em(), { role });
  const issued = await login(t.em(), user.email, TEST_PASSWORD);
  return { user, token: issued.token, viewer: { ...viewerOf(user), sessionId: issued.session.id } as Viewer };
}

async function eventsFor(topic: string, userId: string) {
  const rows = await t.em().find(OutboxEvent, { topic }, { orderBy: { seq: 'asc' } });
  return rows.map((r) => r.envelope.payload as Record<string, unknown>).filter((p) => p.userId === userId);
}

async function auditFor(admin: Viewer, targetId: string) {
  const result = await run(
    admin,
    `query($f: AuditFilter) { auditEvents(filter: $f) { nodes { action outcome actorId targetId details } } }`,
    { f: { targetId } },
  );
  expect(result.errors).toBeUndefined();
  return result.data.auditEvents.nodes as { action: string; outcome: string; actorId: string }[];
}

/** Gives the person a confirmed authenticator, so step-up asks them for it. */
async function withAuthenticator(userId: string): Promise<void> {
  const em = t.em();
  em.create(TotpFactor, {
    user: em.getReference(User, userId),
    secretCiphertext: 'x',
    confirmedAt: new Date(),
  });
  await em.flush();
}
describe('looking people up by id', () => {
  it('answers in the order asked as plain rows (no password hash read), null for unknown or malformed ids', async () => {
    const a = await buildUser(t.em());
    const b = await buildUser(t.em(), { role: 'ADMIN' });
    const missing = '00000000-0000-4000-8000-000000000000';
    const found = await findUsersByIds(t.em(), [b.id, missing, a.id, 'not-an-id', b.id]);
    expect(found.map((u) => u?.id ?? null)).toEqual([b.id, null, a.id, null, b.id]);
    const [rowB, , rowA] = found;
    expect(rowA).toMatchObject({ email: a.email, displayName: 'Test Bee', role: 'MEMBER' });
    expect(rowB).toMatchObject({ email: b.email, role: 'ADMIN' });
    expect(rowA!.createdAt).toBeInstanceOf(Date);
    expect(rowA!.createdAt.getTime()).toBe(a.createdAt.getTime());
    expect(rowA).not.toHaveProperty('passwordHash');
    expect(JSON.stringify(found)).not.toContain('scrypt');
  });
});

describe('who sees email and role', () => {
  const USER = `query($id: ID!) { user(id: $id) { id displayName email role disabled } }`;

  it('hides other people’s email, role and standing from non-admins, and shows them to admins and to the person', async () => {
    const person = await buildUser(t.em());
    const other = await buildUser(t.em(), { role: 'VIEWER' });
    const admin = await buildUser(t.em(), { role: 'ADMIN' });

    const asOther = await run(viewerOf(other), USER, { id: person.id });
    expect(asOther.data.user).toEqual({
      id: person.id,
      displayName: person.displayName,
      email: null,
      role: null,
      disabled: null,
    });
    const asAdmin = await run(viewerOf(admin), USER, { id: person.id });
    expect(asAdmin.data.user).toMatchObject({ email: person.email, role: 'MEMBER', disabled: false });
    const asSelf = await run(viewerOf(person), USER, { id: person.id });
    expect(asSelf.data.user).toMatchObject({ email: person.email, role: 'MEMBER' });
  });

  it('hides them in a reference from another subgraph (a jar’s owner { email }) too', async () => {
    const owner = await buildUser(t.em());
    const reader = await buildUser(t.em());
    const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id email role } } }`;
    const reps = { r: [{ __typename: 'User', id: owner.id }] };
    expect((await run(viewerOf(reader), ENTITIES, reps)).data._entities).toEqual([
      { id: owner.id, email: null, role: null },
    ]);
    expect((await run(viewerOf(owner), ENTITIES, reps)).data._entities[0].email).toBe(owner.email);
  });

  it('hides them from an admin’s API key without the admin scope', async () => {
    const person = await buildUser(t.em());
    const admin = await buildUser(t.em(), { role: 'ADMIN' });
    const key = { ...viewerOf(admin), apiKey: { id: admin.id, scopes: ['search'] } } as Viewer;
    expect((await run(key, USER, { id: person.id })).data.user.email).toBeNull();
  });
});

describe('users (admins)', () => {
  const USERS = `query($f: UserFilter, $first: Int, $after: String) {
    users(filter: $f, first: $first, after: $after) {
      totalCount edges { cursor node { id email role disabled } } nodes { id } pageInfo { hasNextPage endCursor }
    }
  }`;

  it('pages newest first with cursors, each person once', async () => {
    const admin = await buildUser(t.em(), { role: 'ADMIN' });
    for (let i = 0; i < 5; i++) await buildUser(t.em());
    const total = await t.em().count(User, {});
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: any = await run(viewerOf(admin), USERS, { first: 2, after });
      expect(page.errors).toBeUndefined();
      expect(page.data.users.totalCount).toBe(total);
      seen.push(...page.data.users.edges.map((e: any) => e.node.id));
      // `nodes` lists the same people, as the platform's other connections do.
      expect(page.data.users.nodes.map((n: any) => n.id)).toEqual(
        page.data.users.edges.map((e: any) => e.node.id),
      );
      if (!page.data.users.pageInfo.hasNextPage) break;
      after = page.data.users.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    const rows = await t.em().find(User, {}, { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
    expect(seen).toEqual(rows.map((r) => r.id));
  });

  it('filters by name or email (case-insensitive, % and _ literal), role and standing', async () => {
    const admin = await buildUser(t.em(), { role: 'ADMIN' });
    const needle = await buildUser(t.em(), { role: 'VIEWER' });
    await t.em().nativeUpdate(User, { id: needle.id }, { displayName: 'Zelda 100%_Bee' });
    const byName = await run(viewerOf(admin), USERS, { f: { search: 'zelda 100%_' } });
    expect(byName.data.users.edges.map((e: any) => e.node.id)).toEqual([needle.id]);
    const byEmail = await run(viewerOf(admin), USERS, {
      f: { search: needle.email.slice(0, 12).toUpperCase() },
    });
    expect(byEmail.data.users.edges.map((e: any) => e.node.id)).toContain(needle.id);
    expect((await run(viewerOf(admin), USERS, { f: { search: '100%x' } })).data.users.totalCount).toBe(0);

    const viewers = await run(viewerOf(admin), USERS, { f: { role: 'VIEWER' }, first: 100 });
    expect(viewers.data.users.edges.every((e: any) => e.node.role === 'VIEWER')).toBe(true);
    await t.em().nativeUpdate(User, { id: needle.id }, { disabledAt: new Date() });
    const disabled = await run(viewerOf(admin), USERS, { f: { disabled: true }, first: 100 });
    expect(disabled.data.users.edges.map((e: any) => e.node.id)).toContain(needle.id);
    expect(disabled.data.users.edges.every((e: any) => e.node.disabled)).toBe(true);
  });

  it('refuses non-admins, anonymous callers, a bad cursor and a bad page size', async () => {
    const member = await buildUser(t.em());
    const admin = await buildUser(t.em(), { role: 'ADMIN' });
    expect((await run(viewerOf(member), USERS)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await run(null, USERS)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const badCursor = await run(viewerOf(admin), USERS, { after: 'nope' });
    expect(badCursor.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const badFirst = await run(viewerOf(admin), USERS, { first: 0 });
    expect(badFirst.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});

describe('searchPeople', () => {
  const SEARCH = `query($q: String!) { searchPeople(query: $q) { id displayName email } }`;

  it('finds people by name for members (emails null) and by email for admins only', async () => {
    const target = await buildUser(t.em());
    await t.em().nativeUpdate(User, { id: target.id }, { displayName: 'Quillon Searchable' });
    const member = await buildUser(t.em());
    const admin = await buildUser(t.em(), { role: 'ADMIN' });

    const byName = await run(viewerOf(member), SEARCH, { q: 'quillon' });
    expect(byName.data.searchPeople).toEqual([
      { id: target.id, displayName: 'Quillon Searchable', email: null },
    ]);
    const localPart = target.email.split('@')[0];
    expect((await run(viewerOf(member), SEARCH, { q: localPart })).data.searchPeople).toEqual([]);
    const asAdmin = await run(viewerOf(admin), SEARCH, { q: localPart });
    expect(asAdmin.data.searchPeople).toEqual([
      { id: target.id, displayName: 'Quillon Searchable', email: target.email },
    ]);
  });

  it('needs two characters, and is refused to VIEWERs', async () => {
    const member = await buildUser(t.em());
    const viewer = await buildUser(t.em(), { role: 'VIEWER' });
    expect((await run(viewerOf(member), SEARCH, { q: ' a ' })).errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'query',
    });
    expect((await run(viewerOf(viewer), SEARCH, { q: 'quillon' })).errors?.[0].extensions?.code).toBe(
      'FORBIDDEN',
    );
  });
});

describe('setUserRole', () => {
  const SET_ROLE = `mutation($id: ID!, $role: Role!) { setUserRole(id: $id, role: $role) { id role } }`;

  it('changes the role, publishes identity.user.changed and records who did it', async () => {
    const admin = await signedIn('ADMIN');
    const person = await buildUser(t.em());
    const result = await run(admin.viewer, SET_ROLE, { id: person.id, role: 'ADMIN' });
    expect(result.errors).toBeUndefined();
    expect(result.data.setUserRole).toEqual({ id: person.id, role: 'ADMIN' });
    expect((await t.em().findOneOrFail(User, { id: person.id })).role).toBe('ADMIN');
    expect(await eventsFor('identity.user.changed', person.id)).toEqual([
      { userId: person.id, reason: 'role' },
    ]);
    const records = await auditFor(admin.viewer, person.id);
    expect(records[0]).toMatchObject({
      action: 'user.role_changed',
      outcome: 'SUCCESS',
      actorId: admin.user.id,
    });
  });

  it('is refused to members, for unknown people, and when it would leave no enabled admin', async () => {
    const member = await signedIn('MEMBER');
    const person = await buildUser(t.em());
    const refused = await run(member.viewer, SET_ROLE, { id: person.id, role: 'ADMIN' });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const admin = await signedIn('ADMIN');
    const unknown = await run(admin.viewer, SET_ROLE, {
      id: '00000000-0000-4000-8000-00000000dead',
      role: 'VIEWER',
    });
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    // Demote every other admin, then the last one may not demote themself.
    await t.em().nativeUpdate(User, { role: 'ADMIN', id: { $ne: admin.user.id } }, { role: 'MEMBER' });
    const last = await run(admin.viewer, SET_ROLE, { id: admin.user.id, role: 'MEMBER' });
    expect(last.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect((await t.em().findOneOrFail(User, { id: admin.user.id })).role).toBe('ADMIN');
  });

  it('needs a second factor confirmed within 15 minutes from an enrolled admin', async () => {
    const admin = await signedIn('ADMIN');
    const person = await buildUser(t.em());
    await withAuthenticator(admin.user.id);
    const stale = await run(admin.viewer, SET_ROLE, { id: person.id, role: 'VIEWER' });
    expect(stale.errors?.[0].extensions?.code).toBe('STEP_UP_REQUIRED');
    expect((await t.em().findOneOrFail(User, { id: person.id })).role).toBe('MEMBER');

    const sessionId = (admin.viewer as { sessionId: string }).sessionId;
    await t.em().nativeUpdate(Session, { id: sessionId }, { aal: 'aal2', secondFactorAt: new Date() });
    const fresh = await run(admin.viewer, SET_ROLE, { id: person.id, role: 'VIEWER' });
    expect(fresh.errors).toBeUndefined();
    expect(fresh.data.setUserRole.role).toBe('VIEWER');
  });
});

describe('what else hands over administration or an account needs the same fresh second factor', () => {
  it('refuses making an administrator, a reset link, and disabling or enabling an administrator from a stale session', async () => {
    const admin = await signedIn('ADMIN');
    await withAuthenticator(admin.user.id);
    const otherAdmin = await buildUser(t.em(), { role: 'ADMIN' });
    const member = await buildUser(t.em());
    const email = `made-${randomUUID().slice(0, 8)}@example.com`;
    const CREATE = `mutation($i: CreateUserInput!) { createUser(input: $i) { id role } }`;
    const newPerson = (role: string, address = email) => ({
      i: { email: address, password: 'a long enough password for tests', displayName: 'Made', role },
    });
    const attempts = [
      [CREATE, newPerson('ADMIN')],
      [`mutation($id: ID!) { createPasswordResetLink(userId: $id) { url } }`, { id: member.id }],
      [`mutation($id: ID!) { disableUser(id: $id) { id } }`, { id: otherAdmin.id }],
    ] as const;
    for (const [query, variables] of attempts)
      expect((await run(admin.viewer, query, variables)).errors?.[0].extensions?.code).toBe(
        'STEP_UP_REQUIRED',
      );
    expect(await t.em().count(User, { email })).toBe(0);
    expect((await t.em().findOneOrFail(User, { id: otherAdmin.id })).disabledAt).toBeNull();
    await t.em().nativeUpdate(User, { id: otherAdmin.id }, { disabledAt: new Date() });
    const enable = await run(admin.viewer, `mutation($id: ID!) { enableUser(id: $id) { id } }`, {
      id: otherAdmin.id,
    });
    expect(enable.errors?.[0].extensions?.code).toBe('STEP_UP_REQUIRED');
    // A member is made, and a member disabled, without it: neither hands over administration.
    const plain = await run(admin.viewer, CREATE, newPerson('MEMBER', `plain-${email}`));
    expect(plain.errors).toBeUndefined();
    const disabled = await run(admin.viewer, `mutation($id: ID!) { disableUser(id: $id) { id } }`, {
      id: member.id,
    });
    expect(disabled.errors).toBeUndefined();
    // Confirmed just now: all of it goes through.
    const sessionId = (admin.viewer as { sessionId: string }).sessionId;
    await t.em().nativeUpdate(Session, { id: sessionId }, { aal: 'aal2', secondFactorAt: new Date() });
    for (const [query, variables] of attempts)
      expect((await run(admin.viewer, query, variables)).errors).toBeUndefined();
  });
});

describe('disableUser and enableUser', () => {
  it('ends the person’s sessions, refuses their sign-in, and lets an admin enable them again', async () => {
    const admin = await signedIn('ADMIN');
    const person = await signedIn('MEMBER');
    const disabled = await run(admin.viewer, `mutation($id: ID!) { disableUser(id: $id) { id disabled } }`, {
      id: person.user.id,
    });
    expect(disabled.data.disableUser).toEqual({ id: person.user.id, disabled: true });
    expect(await t.em().count(Session, { user: person.user.id })).toBe(0);
    const viewer = await run(SYSTEM, `query($t: String!) { sessionViewer(token: $t) { id } }`, {
      t: person.token,
    });
    expect(viewer.data.sessionViewer).toBeNull();
    await expect(login(t.em(), person.user.email, TEST_PASSWORD)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });

    const enabled = await run(admin.viewer, `mutation($id: ID!) { enableUser(id: $id) { disabled } }`, {
      id: person.user.id,
    });
    expect(enabled.data.enableUser.disabled).toBe(false);
    await expect(login(t.em(), person.user.email, TEST_PASSWORD)).resolves.toBeDefined();
    expect((await eventsFor('identity.user.changed', person.user.id)).map((e) => e.reason)).toEqual([
      'disabled',
      'enabled',
    ]);
    expect((await auditFor(admin.viewer, person.user.id)).map((r) => r.action)).toEqual(
      expect.arrayContaining(['user.disabled', 'user.enabled']),
    );
  });

  it('revokes the person’s API keys for good: enabling them again brings no key back', async () => {
    const admin = await signedIn('ADMIN');
    const person = await signedIn('MEMBER');
    const keys = apiKeysOf(t);
    const [first, second] = [
      await keys.create(person.viewer, 'one'),
      await keys.create(person.viewer, 'two'),
    ];
    const DISABLE = `mutation($id: ID!) { disableUser(id: $id) { id } }`;
    const ENABLE = `mutation($id: ID!) { enableUser(id: $id) { id } }`;
    expect((await run(admin.viewer, DISABLE, { id: person.user.id })).errors).toBeUndefined();
    expect((await run(admin.viewer, ENABLE, { id: person.user.id })).errors).toBeUndefined();
    expect(await keys.works(first.key)).toBe(false);
    expect(await keys.works(second.key)).toBe(false);
    expect(await t.em().count(ApiKey, { user: person.user.id, revokedAt: null })).toBe(0);

    const announced = await eventsFor('identity.api_key.revoked', person.user.id);
    expect(announced.map((e) => e.apiKeyId).sort()).toEqual([first.id, second.id].sort());
    // Each revocation is in the audit log as the admin's, saying why; the disabling says how many.
    for (const key of [first, second])
      expect((await auditRecordsOf(t.em(), key.id)).filter((r) => r.action === 'api_key.revoked')).toEqual([
        expect.objectContaining({
          actor_id: (admin.viewer as { id: string }).id,
          details: expect.objectContaining({ reason: 'user.disabled', ownerId: person.user.id }),
        }),
      ]);
    const records = await auditRecordsOf(t.em(), person.user.id);
    expect(records.find((r) => r.action === 'user.disabled')?.details).toEqual({ apiKeysRevoked: 2 });
  });

  it('revokes, when enabling, a key left live by an account disabled before disabling revoked keys', async () => {
    const admin = await signedIn('ADMIN');
    const person = await signedIn('MEMBER');
    const keys = apiKeysOf(t);
    const old = await keys.create(person.viewer);
    await t.em().nativeUpdate(User, { id: person.user.id }, { disabledAt: new Date() });
    const enabled = await run(admin.viewer, `mutation($id: ID!) { enableUser(id: $id) { disabled } }`, {
      id: person.user.id,
    });
    expect(enabled.data.enableUser.disabled).toBe(false);
    expect(await keys.works(old.key)).toBe(false);
    const records = await auditRecordsOf(t.em(), person.user.id);
    expect(records.find((r) => r.action === 'user.enabled')?.details).toEqual({ apiKeysRevoked: 1 });
  });

  it('keeps an enabled admin when the last two disable each other at the same moment', async () => {
    const [a, b] = [await signedIn('ADMIN'), await signedIn('ADMIN')];
    await t
      .em()
      .nativeUpdate(User, { role: 'ADMIN', id: { $nin: [a.user.id, b.user.id] } }, { role: 'MEMBER' });
    const DISABLE = `mutation($id: ID!) { disableUser(id: $id) { id } }`;
    const results = await Promise.all([
      run(a.viewer, DISABLE, { id: b.user.id }),
      run(b.viewer, DISABLE, { id: a.user.id }),
    ]);
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.flatMap((r) => r.errors ?? []).map((e) => e.message)).toEqual([
      'STING needs at least one enabled admin',
    ]);
    expect(await t.em().count(User, { role: 'ADMIN', disabledAt: null })).toBe(1);
  });

  it('refuses an admin disabling themself', async () => {
    const admin = await signedIn('ADMIN');
    const self = await run(admin.viewer, `mutation($id: ID!) { disableUser(id: $id) { id } }`, {
      id: admin.user.id,
    });
    expect(self.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
  });
});

describe('deleteUser', () => {
  const DELETE = `mutation($input: DeleteUserInput!) { deleteUser(input: $input) }`;

  async function unchanged(user: UserRow) {
    expect(await t.em().count(User, { id: user.id })).toBe(1);
    expect(await eventsFor('user.deleted', user.id)).toEqual([]);
  }

  it('checks the disposition before writing anything', async () => {
    const admin = await signedIn('ADMIN');
    const person = await buildUser(t.em());
    const cases: [Record<string, unknown>, string][] = [
      [{ id: person.id, honeyJars: 'TRANSFER' }, 'transferTo'],
      [{ id: person.id, honeyJars: 'TRANSFER', transferTo: person.id }, 'transferTo'],
      [
        { id: person.id, honeyJars: 'TRANSFER', transferTo: '00000000-0000-4000-8000-00000000dead' },
        'transferTo',
      ],
      [{ id: person.id, honeyJars: 'TRANSFER', transferTo: 'not-an-id' }, 'transferTo'],
      [{ id: person.id, honeyJars: 'DELETE', transferTo: admin.user.id }, 'transferTo'],
      [{ id: admin.user.id, honeyJars: 'DELETE' }, 'id'],
    ];
    for (const [input, field] of cases) {
      const result = await run(admin.viewer, DELETE, { input });
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    await unchanged(person);
    const missing = await run(admin.viewer, DELETE, {
      input: { id: '00000000-0000-4000-8000-00000000dead', honeyJars: 'DELETE' },
    });
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('deletes the person and their sessions, announces the disposition, and keeps the audit records', async () => {
    const admin = await signedIn('ADMIN');
    const person = await signedIn('MEMBER');
    const heir = await buildUser(t.em());
    await run(admin.viewer, `mutation($id: ID!) { disableUser(id: $id) { id } }`, { id: person.user.id });
    const result = await run(admin.viewer, DELETE, {
      input: { id: person.user.id, honeyJars: 'TRANSFER', transferTo: heir.id },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data.deleteUser).toBe(true);
    expect(await t.em().count(User, { id: person.user.id })).toBe(0);
    expect(await t.em().count(Session, { user: person.user.id })).toBe(0);
    expect(await eventsFor('user.deleted', person.user.id)).toEqual([
      { userId: person.user.id, honeyJars: 'TRANSFER', transferTo: heir.id },
    ]);
    expect((await eventsFor('identity.user.changed', person.user.id)).map((e) => e.reason)).toContain(
      'deleted',
    );
    const actions = (await auditFor(admin.viewer, person.user.id)).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['user.disabled', 'user.deleted']));
    // References to them now resolve to the placeholder.
    const ref = await run(admin.viewer, `query($id: ID!) { user(id: $id) { id } }`, { id: person.user.id });
    expect(ref.data.user).toBeNull();
  });

  it('is refused to members', async () => {
    const member = await signedIn('MEMBER');
    const person = await buildUser(t.em());
    const result = await run(member.viewer, DELETE, { input: { id: person.id, honeyJars: 'DELETE' } });
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await unchanged(person);
  });
});
