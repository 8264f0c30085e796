// The identity API through executeAs: real resolvers, real database, errors exactly as a client sees them.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { type Viewer } from '@sting/kit';
import { countQueries, executeAs, startTestRuntime, type TestRuntime } from '@sting/kit/testing';
import { subgraph } from '../src/index.ts';
import { buildUser, SYSTEM, TEST_PASSWORD, uniqueEmail, viewerOf } from './factories.ts';

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime(subgraph, { config: { identity: { sessionTtlHours: 3 } } });
});
afterAll(async () => {
  await t.close();
});

const run = (viewer: Viewer | null, query: string, variables?: Record<string, unknown>) =>
  executeAs<any>(t.schema, subgraph, t.runtime, viewer, query, variables);

const CREATE_USER = `mutation($input: CreateUserInput!) { createUser(input: $input) { id email role displayName } }`;

describe('me and user', () => {
  it('answers me with the signed-in user and null for anonymous callers', async () => {
    const user = await buildUser(t.em());
    const mine = await run(viewerOf(user), `{ me { id email role createdAt } }`);
    expect(mine.errors).toBeUndefined();
    expect(mine.data.me).toEqual({
      id: user.id,
      email: user.email,
      role: 'MEMBER',
      createdAt: user.createdAt.toISOString(),
    });
    expect((await run(null, `{ me { id } }`)).data.me).toBeNull();
  });

  it('rejects a malformed id with BAD_USER_INPUT naming the field, and answers null for a missing user', async () => {
    const user = await buildUser(t.em());
    const bad = await run(viewerOf(user), `{ user(id: "not-an-id") { id } }`);
    expect(bad.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const missing = await run(viewerOf(user), `{ user(id: "00000000-0000-4000-8000-00000000dead") { id } }`);
    expect(missing.errors).toBeUndefined();
    expect(missing.data.user).toBeNull();
  });

  it('refuses anonymous user lookups', async () => {
    const user = await buildUser(t.em());
    const result = await run(null, `query($id: ID!) { user(id: $id) { id } }`, { id: user.id });
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('resolves User references to null for anonymous callers', async () => {
    const user = await buildUser(t.em());
    const result = await run(
      null,
      `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id } } }`,
      {
        r: [{ __typename: 'User', id: user.id }],
      },
    );
    expect(result.data._entities).toEqual([null]);
  });

  it('resolves N User references with one SQL query', async () => {
    const users = await Promise.all([1, 2, 3, 4, 5].map(() => buildUser(t.em())));
    const representations = users.map((u) => ({ __typename: 'User', id: u.id }));
    const { result, queries } = await countQueries(t.orm, () =>
      run(SYSTEM, `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id email } } }`, {
        r: representations,
      }),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data._entities.map((u: { id: string }) => u.id)).toEqual(users.map((u) => u.id));
    expect(queries.filter((q) => /^select/i.test(q))).toHaveLength(1);
  });
});

describe('createUser', () => {
  it('lets an admin create a user, with the email normalised', async () => {
    const admin = await buildUser(t.em(), { role: 'ADMIN' });
    const email = uniqueEmail('new');
    const result = await run(viewerOf(admin), CREATE_USER, {
      input: {
        email: `  ${email.toUpperCase()} `,
        displayName: 'New Bee',
        password: 'twelve chars!',
        role: 'VIEWER',
      },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data.createUser).toMatchObject({ email, role: 'VIEWER', displayName: 'New Bee' });
  });

  it('refuses members with FORBIDDEN', async () => {
    const member = await buildUser(t.em());
    const result = await run(viewerOf(member), CREATE_USER, {
      input: { email: uniqueEmail(), displayName: 'X', password: 'twelve chars!' },
    });
    expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('names the field of each validation failure', async () => {
    const admin = await buildUser(t.em(), { role: 'ADMIN' });
    const taken = await buildUser(t.em());
    const cases = [
      [{ email: taken.email, displayName: 'Dup', password: 'twelve chars!' }, 'email'],
      [{ email: 'no-at-sign', displayName: 'X', password: 'twelve chars!' }, 'email'],
      [{ email: uniqueEmail(), displayName: 'X', password: 'eleven char' }, 'password'],
      [{ email: uniqueEmail(), displayName: 'X', password: 'password1234' }, 'password'],
      [{ email: uniqueEmail(), displayName: '   ', password: 'twelve chars!' }, 'displayName'],
    ] as const;
    for (const [input, field] of cases) {
      const result = await run(viewerOf(admin), CREATE_USER, { input });
      expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });
});

describe('login, logout and sessionViewer', () => {
  const LOGIN = `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token expiresAt user { id } } }`;
  const SESSION_VIEWER = `query($t: String!) { sessionViewer(token: $t) { id role email displayName } }`;

  it('signs in, resolves the session for the gateway, and signs out', async () => {
    const user = await buildUser(t.em());
    const signedIn = await run(null, LOGIN, { e: user.email, p: TEST_PASSWORD });
    expect(signedIn.errors).toBeUndefined();
    const { token, expiresAt } = signedIn.data.login;
    // The lifetime comes from the runtime config (3 h here, under its old name sessionTtlHours), not the 24 h default.
    expect(new Date(expiresAt).getTime() - Date.now()).toBeLessThanOrEqual(3 * 3_600_000);
    expect(new Date(expiresAt).getTime() - Date.now()).toBeGreaterThan(2.9 * 3_600_000);

    const resolved = await run(SYSTEM, SESSION_VIEWER, { t: token });
    expect(resolved.data.sessionViewer).toEqual({
      id: user.id,
      role: 'MEMBER',
      email: user.email,
      displayName: user.displayName,
    });

    expect((await run(viewerOf(user), `mutation { logout }`)).data.logout).toBe(true);
    expect((await run(SYSTEM, SESSION_VIEWER, { t: token })).data.sessionViewer).toBeNull();
  });

  it('logout ends only the session the request came with', async () => {
    const user = await buildUser(t.em());
    const here = (await run(null, LOGIN, { e: user.email, p: TEST_PASSWORD })).data.login.token;
    const elsewhere = (await run(null, LOGIN, { e: user.email, p: TEST_PASSWORD })).data.login.token;
    const WITH_SESSION = `query($t: String!) { sessionViewer(token: $t) { id sessionId } }`;
    const session = (await run(SYSTEM, WITH_SESSION, { t: here })).data.sessionViewer;
    expect(session.id).toBe(user.id);
    expect(typeof session.sessionId).toBe('string');

    const viewer = { ...viewerOf(user), sessionId: session.sessionId } as Viewer;
    expect((await run(viewer, `mutation { logout }`)).data.logout).toBe(true);
    expect((await run(SYSTEM, WITH_SESSION, { t: here })).data.sessionViewer).toBeNull();
    expect((await run(SYSTEM, WITH_SESSION, { t: elsewhere })).data.sessionViewer.id).toBe(user.id);
  });

  it("refuses logout with an API key, leaving the owner's sessions alone", async () => {
    const user = await buildUser(t.em());
    const token = (await run(null, LOGIN, { e: user.email, p: TEST_PASSWORD })).data.login.token;
    const key = { ...viewerOf(user), apiKey: { id: 'k-1', scopes: ['admin'] } } as Viewer;
    const refused = await run(key, `mutation { logout }`);
    expect(refused.errors?.[0]).toMatchObject({
      message: 'An API key cannot do this; sign in instead',
      extensions: { code: 'FORBIDDEN' },
    });
    expect((await run(SYSTEM, SESSION_VIEWER, { t: token })).data.sessionViewer.id).toBe(user.id);
  });

  it('gives the same UNAUTHENTICATED answer for a wrong password and an unknown email', async () => {
    const user = await buildUser(t.em());
    const wrong = await run(null, LOGIN, { e: user.email, p: 'definitely wrong' });
    const unknown = await run(null, LOGIN, { e: uniqueEmail('ghost'), p: TEST_PASSWORD });
    expect(wrong.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(unknown.errors?.[0].message).toBe(wrong.errors?.[0].message);
    expect(unknown.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses sessionViewer to users and anonymous callers', async () => {
    const admin = await buildUser(t.em(), { role: 'ADMIN' });
    for (const viewer of [viewerOf(admin), null]) {
      const result = await run(viewer, SESSION_VIEWER, { t: 'anything' });
      expect(result.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });
});
