// Managing people on the real platform, through the gateway: a change to a person applies at once to their open
// sockets and HTTP requests (identity announces it, the gateway forgets the cached session and re-checks the
// sockets), well inside the 5-second session cache that would otherwise keep the old viewer.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import pg from 'pg';
import { followAlerts as follow } from './alert-socket.ts';
import { ADMIN, graphql, startIntegrationPlatform, waitFor, type IntegrationPlatform } from './platform.ts';

let it_: IntegrationPlatform;
let adminToken: string;
const LOGIN = 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';
const RAISE = 'mutation ($t: String!) { raiseAlert(input: { severity: CRITICAL, title: $t }) { id } }';
const CREATE = 'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }';
const PASSWORD = 'a long enough password';
// Well under the session cache's 5 s: only identity's announcement can make the change apply this soon.
const AT_ONCE_MS = 3000;

const login = async (email: string, password = PASSWORD) =>
  (await graphql(it_.url, LOGIN, { e: email, p: password })).data.login.token as string;

async function newPerson(label: string, role: 'ADMIN' | 'MEMBER') {
  const email = `${label}.${Date.now()}@example.com`;
  const created = await graphql(
    it_.url,
    CREATE,
    { i: { email, displayName: label, password: PASSWORD, role } },
    adminToken,
  );
  expect(created.errors).toBeUndefined();
  return { id: created.data.createUser.id as string, email, token: await login(email) };
}

/** An alertRaised subscription, live once the first warm-up alert has arrived. */
async function followAlerts(token: string) {
  const socket = follow(it_.url, token);
  await waitFor(async () => {
    await graphql(it_.url, RAISE, { t: `warm-up ${Date.now()}` }, adminToken);
    return socket.titles.length > 0;
  }, 10_000);
  return socket;
}

async function me(token: string) {
  const response = await fetch(it_.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ me { id role } }' }),
  });
  return { status: response.status, body: (await response.json()) as { data?: any } };
}

beforeAll(async () => {
  it_ = await startIntegrationPlatform('embedded');
  adminToken = await login(ADMIN.email, ADMIN.password);
}, 60_000);
afterAll(() => it_?.stop());

describe('a change to a person applies at once', () => {
  it('a demoted admin’s socket closes (4403) and receives no further alertRaised', async () => {
    const ops = await newPerson('ops', 'ADMIN');
    const socket = await followAlerts(ops.token);
    // Their viewer is cached now (the socket and an HTTP request both resolved it).
    expect((await me(ops.token)).body.data.me.role).toBe('ADMIN');
    const started = Date.now();
    const demoted = await graphql(
      it_.url,
      'mutation ($id: ID!) { setUserRole(id: $id, role: MEMBER) { role } }',
      { id: ops.id },
      adminToken,
    );
    expect(demoted.errors).toBeUndefined();
    await waitFor(() => socket.closedWith() === 4403, AT_ONCE_MS);
    expect(Date.now() - started).toBeLessThan(AT_ONCE_MS);
    await graphql(it_.url, RAISE, { t: 'after demotion' }, adminToken);
    expect(socket.titles).not.toContain('after demotion');
    expect((await me(ops.token)).body.data.me.role).toBe('MEMBER');
    await socket.client.dispose();
  }, 40_000);

  it('a disabled person’s socket closes (4401) and their HTTP session answers 401', async () => {
    const person = await newPerson('leaver', 'ADMIN');
    const socket = await followAlerts(person.token);
    expect((await me(person.token)).status).toBe(200);
    const started = Date.now();
    const disabled = await graphql(
      it_.url,
      'mutation ($id: ID!) { disableUser(id: $id) { disabled } }',
      { id: person.id },
      adminToken,
    );
    expect(disabled.data.disableUser.disabled).toBe(true);
    await waitFor(() => socket.closedWith() === 4401, AT_ONCE_MS);
    expect(Date.now() - started).toBeLessThan(AT_ONCE_MS);
    expect((await me(person.token)).status).toBe(401);
    await graphql(it_.url, RAISE, { t: 'after disabling' }, adminToken);
    expect(socket.titles).not.toContain('after disabling');
    await socket.client.dispose();
  }, 40_000);

  it('a deleted person’s socket closes (4401) and their HTTP session answers 401 at once', async () => {
    const person = await newPerson('gone', 'ADMIN');
    const socket = await followAlerts(person.token);
    expect((await me(person.token)).status).toBe(200);
    const deleted = await graphql(
      it_.url,
      'mutation ($i: DeleteUserInput!) { deleteUser(input: $i) }',
      { i: { id: person.id, honeyJars: 'DELETE' } },
      adminToken,
    );
    expect(deleted.errors).toBeUndefined();
    await waitFor(() => socket.closedWith() === 4401, AT_ONCE_MS);
    expect((await me(person.token)).status).toBe(401);
    await socket.client.dispose();
  }, 30_000);

  it('ending the other sessions closes the sockets of those sessions (4401), not this one', async () => {
    const person = await newPerson('careful', 'ADMIN');
    const elsewhere = await login(person.email);
    const socket = await followAlerts(elsewhere);
    const ended = await graphql(it_.url, 'mutation { endOtherSessions }', undefined, person.token);
    expect(ended.data.endOtherSessions).toBe(1);
    await waitFor(() => socket.closedWith() === 4401, AT_ONCE_MS);
    expect((await me(person.token)).status).toBe(200);
    expect((await me(elsewhere)).status).toBe(401);
    await socket.client.dispose();
  }, 40_000);

  it('deleting a person hands their jars to the person named and removes their conversations', async () => {
    const person = await newPerson('author', 'MEMBER');
    const heir = await newPerson('heir', 'MEMBER');
    const jar = await graphql(
      it_.url,
      'mutation { createHoneyJar(input: { name: "Field notes", type: PRIVATE }) { id } }',
      undefined,
      person.token,
    );
    const jarId = jar.data.createHoneyJar.id as string;
    const chat = await graphql(
      it_.url,
      'mutation { startConversation(title: "Mine") { id } }',
      undefined,
      person.token,
    );
    expect(chat.errors).toBeUndefined();
    const deleted = await graphql(
      it_.url,
      'mutation ($i: DeleteUserInput!) { deleteUser(input: $i) }',
      { i: { id: person.id, honeyJars: 'TRANSFER', transferTo: heir.id } },
      adminToken,
    );
    expect(deleted.errors).toBeUndefined();
    const OWNER = 'query ($id: ID!) { honeyJar(id: $id) { name owner { id displayName } } }';
    await waitFor(async () => {
      const read = await graphql(it_.url, OWNER, { id: jarId }, heir.token);
      return read.data?.honeyJar?.owner?.id === heir.id;
    }, 10_000);
    const db = new pg.Client({ connectionString: it_.databaseUrl });
    await db.connect();
    try {
      await waitFor(async () => {
        const { rows } = await db.query(
          'select count(*)::int as n from chat.conversation where owner_id = $1',
          [person.id],
        );
        return rows[0].n === 0;
      }, 10_000);
    } finally {
      await db.end();
    }
  }, 40_000);

  /** A working API key of the person's (their session makes it). */
  async function keyOf(person: { token: string }): Promise<string> {
    const created = await graphql(
      it_.url,
      'mutation { createApiKey(input: { name: "script", scopes: ["honey-jars:read"] }) { key } }',
      undefined,
      person.token,
    );
    expect(created.errors).toBeUndefined();
    const key = created.data.createApiKey.key as string;
    expect((await me(key)).status).toBe(200);
    return key;
  }

  it('a disabled person’s API key stops working at once, and stays revoked once they are enabled again', async () => {
    const person = await newPerson('scripter', 'MEMBER');
    const key = await keyOf(person);
    await graphql(
      it_.url,
      'mutation ($id: ID!) { disableUser(id: $id) { id } }',
      { id: person.id },
      adminToken,
    );
    await waitFor(async () => (await me(key)).status === 401, AT_ONCE_MS);
    const enabled = await graphql(
      it_.url,
      'mutation ($id: ID!) { enableUser(id: $id) { disabled } }',
      { id: person.id },
      adminToken,
    );
    expect(enabled.data.enableUser.disabled).toBe(false);
    // Past the session cache's 5 s, so a key that came back would show.
    await new Promise((resolve) => setTimeout(resolve, 5500));
    expect((await me(key)).status).toBe(401);
    expect((await me(await login(person.email))).status).toBe(200);
  }, 40_000);

  it('a password reset revokes the person’s API keys at once, with their sessions', async () => {
    const person = await newPerson('recovered', 'MEMBER');
    const key = await keyOf(person);
    const issued = await graphql(
      it_.url,
      'mutation ($id: ID!) { createPasswordResetLink(userId: $id) { url } }',
      { id: person.id },
      adminToken,
    );
    expect(issued.errors).toBeUndefined();
    const token = new URL(issued.data.createPasswordResetLink.url as string).hash.replace('#token=', '');
    const reset = await graphql(
      it_.url,
      'mutation ($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) }',
      { t: token, p: 'a different long password' },
    );
    expect(reset.data.resetPassword).toBe(true);
    // The answer arrives after the gateways have heard: no wait is needed.
    expect((await me(key)).status).toBe(401);
    expect((await me(person.token)).status).toBe(401);
  }, 30_000);

  it('other people’s email and role stay hidden through the gateway (user(id), a jar’s owner)', async () => {
    const owner = await newPerson('owner', 'MEMBER');
    const reader = await newPerson('reader', 'MEMBER');
    const jar = await graphql(
      it_.url,
      'mutation { createHoneyJar(input: { name: "Open notes", type: PUBLIC }) { id } }',
      undefined,
      owner.token,
    );
    const jarId = jar.data.createHoneyJar.id as string;
    const OWNER = 'query ($id: ID!) { honeyJar(id: $id) { owner { id email role } } }';
    expect((await graphql(it_.url, OWNER, { id: jarId }, reader.token)).data.honeyJar.owner).toEqual({
      id: owner.id,
      email: null,
      role: null,
    });
    const USER = 'query ($id: ID!) { user(id: $id) { email role } }';
    expect((await graphql(it_.url, USER, { id: owner.id }, reader.token)).data.user).toEqual({
      email: null,
      role: null,
    });
    expect((await graphql(it_.url, USER, { id: owner.id }, adminToken)).data.user).toEqual({
      email: owner.email.toLowerCase(),
      role: 'MEMBER',
    });
    expect((await graphql(it_.url, OWNER, { id: jarId }, owner.token)).data.honeyJar.owner.email).toBe(
      owner.email.toLowerCase(),
    );
  }, 30_000);

  it('signing out closes that session’s sockets at once (4401), before any further alert', async () => {
    const person = await newPerson('leaving-now', 'ADMIN');
    const socket = await followAlerts(person.token);
    expect((await graphql(it_.url, 'mutation { logout }', undefined, person.token)).data.logout).toBe(true);
    await waitFor(() => socket.closedWith() === 4401, AT_ONCE_MS);
    await socket.client.dispose();
  }, 30_000);
});
