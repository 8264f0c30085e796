// `identity.provider: kratos` end to end (embedded topology) against a stand-in Kratos: session tokens and cookies
// become viewers, the person is synced into identity once, and an unreachable Kratos fails closed.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { loadConfig, type StingConfig, type SubgraphName } from '@sting/kit';
import { startPlatform, type RunningPlatform } from '@sting/gateway';
import {
  KRATOS_COOKIE,
  startStandInKratos,
  type StandInIdentity,
  type StandInKratos,
} from '../standins/kratos.ts';
import { postGraphQL as post } from './platform.ts';

const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://sting@127.0.0.1:55432/postgres';
const ME = '{ me { id email displayName role } }';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function person(traits: Record<string, unknown>, role?: unknown): StandInIdentity {
  return { id: randomUUID(), traits, metadata_public: role === undefined ? null : { role } };
}

describe('identity.provider: kratos', () => {
  let kratos: StandInKratos;
  let platform: RunningPlatform;
  let url: string;
  let database: string;
  let databaseUrl: string;
  const fetches: { subgraph: SubgraphName; query: string }[] = [];
  const syncs = () =>
    fetches.filter((f) => f.subgraph === 'identity' && f.query.includes('syncExternalUser'));
  const printed: string[] = [];

  beforeAll(async () => {
    kratos = await startStandInKratos();
    database = `sting_it_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: SERVER_URL });
    await admin.connect();
    await admin.query(`create database ${database}`);
    await admin.end();
    const serverUrl = new URL(SERVER_URL);
    serverUrl.pathname = `/${database}`;
    databaseUrl = serverUrl.toString();

    const env: NodeJS.ProcessEnv = { ...process.env, STING_LOG_LEVEL: 'silent' };
    // Without configured credentials the built-in provider would generate an admin and print its password.
    delete env.STING_ADMIN_EMAIL;
    delete env.STING_ADMIN_PASSWORD;
    const base = await loadConfig({ env });
    const config = {
      ...base,
      gateway: { ...base.gateway, port: 0 },
      security: { ...base.security, keysDir: join(await mkdtemp(join(tmpdir(), 'sting-kratos-')), 'keys') },
      // The stand-in serves Kratos's public and admin APIs on one port.
      identity: {
        ...base.identity,
        provider: 'kratos',
        kratos: { publicUrl: kratos.url, adminUrl: kratos.url },
      },
      // Documents go to a throwaway blob store with a key of its own, never into the repository's .data.
      knowledge: {
        ...base.knowledge,
        storage: {
          dir: join(await mkdtemp(join(tmpdir(), 'sting-kratos-blobs-')), 'blobs'),
          key: randomBytes(32).toString('hex'),
        },
      },
    } as StingConfig;
    // The built-in provider would print a generated admin password here; with Kratos there is none.
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
      printed.push(String(chunk));
      return write(chunk, ...rest);
    }) as typeof process.stdout.write;
    try {
      platform = await startPlatform(
        config,
        { databaseUrl, chromaUrl: process.env.CHROMA_URL },
        { observeFetch: (subgraph, request) => fetches.push({ subgraph, query: request.query }) },
      );
    } finally {
      process.stdout.write = write;
    }
    url = platform.url;
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await kratos?.stop();
    const admin = new pg.Client({ connectionString: SERVER_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${database} with (force)`);
    await admin.end();
  });

  it('creates no first administrator and prints no password', async () => {
    expect(printed.join('')).toContain('STING gateway listening');
    expect(printed.join('')).not.toContain('password');
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      expect((await client.query('select count(*)::int as n from identity."user"')).rows[0].n).toBe(0);
    } finally {
      await client.end();
    }
  });

  it('signs in the Kratos identity behind a Bearer session token', async () => {
    const identity = person({ email: 'Ada@Example.com', name: { first: 'Ada', last: 'Lovelace' } }, 'ADMIN');
    const { token } = kratos.seed({ identity });
    const result = await post(url, ME, bearer(token));
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      data: { me: { id: identity.id, email: 'ada@example.com', displayName: 'Ada Lovelace', role: 'ADMIN' } },
    });
  });

  it('accepts Kratos’s X-Session-Token header and the ory_kratos_session cookie', async () => {
    const identity = person({ email: 'grace@example.com', name: 'Grace Hopper' }, 'VIEWER');
    const seeded = kratos.seed({ identity });
    const byHeader = await post(url, ME, { 'x-session-token': seeded.token });
    expect(byHeader.body.data.me).toMatchObject({
      id: identity.id,
      displayName: 'Grace Hopper',
      role: 'VIEWER',
    });
    // Other cookies travel along untouched: the whole header goes to Kratos as it came.
    const byCookie = await post(url, ME, { cookie: `theme=dark; ${KRATOS_COOKIE}=${seeded.cookie}` });
    expect(byCookie.status).toBe(200);
    expect(byCookie.body.data.me).toMatchObject({ id: identity.id, email: 'grace@example.com' });
    expect(byCookie.headers.get('set-cookie')).toBeNull();
  });

  it('reads any unknown role as MEMBER and falls back to the email for a missing name', async () => {
    for (const role of [undefined, 'SUPERUSER', 'admin', 7]) {
      const { token } = kratos.seed({ identity: person({ email: `${randomUUID()}@example.com` }, role) });
      const me = (await post(url, ME, bearer(token))).body.data.me;
      expect(me.role).toBe('MEMBER');
      expect(me.displayName).toBe(me.email);
    }
  });

  it('refuses an expired or inactive session with 401 UNAUTHENTICATED, and an expired cookie stays anonymous', async () => {
    const identity = person({ email: 'late@example.com', name: 'Late Bee' });
    const expired = kratos.seed({ identity, expiresAt: new Date(Date.now() - 1000) });
    const inactive = kratos.seed({ identity, active: false });
    for (const token of [expired.token, inactive.token, 'ory_st_unknown']) {
      const result = await post(url, ME, bearer(token));
      expect(result.status).toBe(401);
      expect(result.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const cookie = await post(url, ME, { cookie: `${KRATOS_COOKIE}=${expired.cookie}` });
    expect(cookie.status).toBe(200);
    expect(cookie.body).toEqual({ data: { me: null } });
  });

  it('syncs a person into identity once, and again when Kratos changes their traits', async () => {
    const identity = person({ email: 'once@example.com', name: 'Once Bee' });
    const first = kratos.seed({ identity });
    const second = kratos.seed({ identity });
    fetches.length = 0;
    expect((await post(url, ME, bearer(first.token))).body.data.me.displayName).toBe('Once Bee');
    // A second session of the same person (not in the session cache) is looked up at Kratos but not re-synced.
    const asked = kratos.whoamiCount();
    expect((await post(url, ME, bearer(second.token))).body.data.me.id).toBe(identity.id);
    expect(kratos.whoamiCount()).toBe(asked + 1);
    expect(syncs()).toHaveLength(1);

    identity.traits = { email: 'once@example.com', name: 'Renamed Bee' };
    const third = kratos.seed({ identity });
    expect((await post(url, ME, bearer(third.token))).body.data.me.displayName).toBe('Renamed Bee');
    expect(syncs()).toHaveLength(2);
  });

  it('shows the Kratos person as the owner of the honey jar they create', async () => {
    const identity = person({ email: 'keeper@example.com', name: { first: 'Kit', last: 'Keeper' } });
    const { token } = kratos.seed({ identity });
    const created = await post(
      url,
      'mutation ($n: String!) { createHoneyJar(input: { name: $n }) { id } }',
      bearer(token),
      { n: `Kratos jar ${randomUUID()}` },
    );
    expect(created.body.errors).toBeUndefined();
    const list = await post(url, '{ honeyJars { nodes { id owner { id displayName } } } }', bearer(token));
    expect(list.body.errors).toBeUndefined();
    const jar = list.body.data.honeyJars.nodes.find(
      (n: { id: string }) => n.id === created.body.data.createHoneyJar.id,
    );
    expect(jar.owner).toEqual({ id: identity.id, displayName: 'Kit Keeper' });
  });

  it('refuses the built-in login', async () => {
    const result = await post(
      url,
      'mutation { login(email: "a@b.test", password: "twelve chars!") { token } }',
    );
    expect(result.body.errors[0]).toMatchObject({
      message: 'Sign in through the identity provider',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(result.headers.get('set-cookie')).toBeNull();
  });

  describe('people management goes to Kratos’s admin API', () => {
    const gql = async (token: string, query: string, variables?: Record<string, unknown>) =>
      (await post(url, query, bearer(token), variables)).body;
    const adminToken = () =>
      kratos.seed({ identity: person({ email: `${randomUUID()}@example.com`, name: 'Admin Bee' }, 'ADMIN') })
        .token;

    async function localUser(id: string) {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        const { rows } = await client.query(
          'select role, provider, password_hash, disabled_at from identity."user" where id = $1',
          [id],
        );
        return rows[0];
      } finally {
        await client.end();
      }
    }

    it('createUser makes the Kratos identity (role in metadata_public, the password as its credential) and a local copy', async () => {
      const admin = adminToken();
      const created = await gql(
        admin,
        'mutation ($i: CreateUserInput!) { createUser(input: $i) { id email displayName role } }',
        {
          i: {
            email: 'New.Bee@example.com',
            displayName: 'New Bee',
            password: 'a long enough password',
            role: 'VIEWER',
          },
        },
      );
      expect(created.errors).toBeUndefined();
      const { id } = created.data.createUser;
      expect(created.data.createUser).toEqual({
        id,
        email: 'new.bee@example.com',
        displayName: 'New Bee',
        role: 'VIEWER',
      });
      expect(kratos.identity(id)).toMatchObject({
        traits: { email: 'new.bee@example.com', name: 'New Bee' },
        metadata_public: { role: 'VIEWER' },
        state: 'active',
        password: 'a long enough password',
      });
      expect(await localUser(id)).toEqual({
        role: 'VIEWER',
        provider: 'kratos',
        password_hash: null,
        disabled_at: null,
      });
      const again = await gql(admin, 'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }', {
        i: { email: 'new.bee@example.com', displayName: 'Twin', password: 'a long enough password' },
      });
      expect(again.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    });

    it('setUserRole patches metadata_public.role (keeping the rest) and the new role applies at once', async () => {
      const member = person({ email: `${randomUUID()}@example.com`, name: 'Rising Bee' }, 'MEMBER');
      member.metadata_public = { role: 'MEMBER', team: 'hive' };
      const { token } = kratos.seed({ identity: member });
      expect((await gql(token, ME)).data.me.role).toBe('MEMBER');
      const changed = await gql(
        adminToken(),
        'mutation ($id: ID!) { setUserRole(id: $id, role: ADMIN) { role } }',
        {
          id: member.id,
        },
      );
      expect(changed.errors).toBeUndefined();
      expect(kratos.identity(member.id)?.metadata_public).toEqual({ role: 'ADMIN', team: 'hive' });
      expect(kratos.adminRequests()).toContain(`PATCH /admin/identities/${member.id}`);
      // The gateway forgot the cached session on identity's announcement: the same token reads the new role.
      expect((await gql(token, ME)).data.me.role).toBe('ADMIN');
    });

    it('disableUser makes the identity inactive and revokes its sessions; enableUser makes it active again', async () => {
      const leaver = person({ email: `${randomUUID()}@example.com`, name: 'Leaving Bee' }, 'MEMBER');
      const { token } = kratos.seed({ identity: leaver });
      expect((await gql(token, ME)).data.me.id).toBe(leaver.id);
      const admin = adminToken();
      const disabled = await gql(admin, 'mutation ($id: ID!) { disableUser(id: $id) { disabled } }', {
        id: leaver.id,
      });
      expect(disabled.data.disableUser.disabled).toBe(true);
      expect(kratos.identity(leaver.id)?.state).toBe('inactive');
      expect(kratos.adminRequests()).toContain(`DELETE /admin/identities/${leaver.id}/sessions`);
      expect((await post(url, ME, bearer(token))).status).toBe(401);
      const enabled = await gql(admin, 'mutation ($id: ID!) { enableUser(id: $id) { disabled } }', {
        id: leaver.id,
      });
      expect(enabled.data.enableUser.disabled).toBe(false);
      expect(kratos.identity(leaver.id)?.state).toBe('active');
      expect((await localUser(leaver.id)).disabled_at).toBeNull();
    });

    it('deleteUser deletes the Kratos identity too', async () => {
      const gone = person({ email: `${randomUUID()}@example.com`, name: 'Gone Bee' }, 'MEMBER');
      const { token } = kratos.seed({ identity: gone });
      expect((await gql(token, ME)).data.me.id).toBe(gone.id);
      const deleted = await gql(adminToken(), 'mutation ($i: DeleteUserInput!) { deleteUser(input: $i) }', {
        i: { id: gone.id, honeyJars: 'DELETE' },
      });
      expect(deleted.errors).toBeUndefined();
      expect(kratos.identity(gone.id)).toBeUndefined();
      expect(await localUser(gone.id)).toBeUndefined();
      expect((await post(url, ME, bearer(token))).status).toBe(401);
    });

    it('changes nothing locally when Kratos refuses or cannot be reached', async () => {
      const member = person({ email: `${randomUUID()}@example.com`, name: 'Steady Bee' }, 'MEMBER');
      const { token } = kratos.seed({ identity: member });
      expect((await gql(token, ME)).data.me.role).toBe('MEMBER');
      const admin = adminToken();
      await gql(admin, ME);
      kratos.failWith(503);
      let answer;
      try {
        answer = await gql(admin, 'mutation ($id: ID!) { setUserRole(id: $id, role: VIEWER) { role } }', {
          id: member.id,
        });
      } finally {
        kratos.failWith(undefined);
      }
      expect(answer.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
      expect((await localUser(member.id)).role).toBe('MEMBER');
      expect(kratos.identity(member.id)?.metadata_public).toEqual({ role: 'MEMBER' });
    });
  });

  it('fails closed when Kratos answers 5xx: INTERNAL_SERVER_ERROR, never anonymous', async () => {
    const { token, cookie } = kratos.seed({ identity: person({ email: 'down@example.com' }) });
    kratos.failWith(503);
    try {
      for (const headers of [bearer(token), { cookie: `${KRATOS_COOKIE}=${cookie}` }]) {
        const result = await post(url, ME, { ...headers, 'x-request-id': 'kratos-down' });
        expect(result.status).toBe(500);
        expect(result.body.data).toBeUndefined();
        expect(result.body.errors[0].extensions).toEqual({
          code: 'INTERNAL_SERVER_ERROR',
          requestId: 'kratos-down',
        });
      }
    } finally {
      kratos.failWith(undefined);
    }
    // Not remembered as a failure: once Kratos is back, the same token works.
    expect((await post(url, ME, bearer(token))).body.data.me.email).toBe('down@example.com');
  });

  it('fails closed when Kratos is unreachable (REST too)', async () => {
    const { token } = kratos.seed({ identity: person({ email: 'gone@example.com' }) });
    await kratos.stop();
    const result = await post(url, ME, bearer(token));
    expect(result.status).toBe(500);
    expect(result.body.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
    const rest = await fetch(new URL('/api/v1/honey-pots', url), { headers: bearer(token) });
    expect(rest.status).toBe(500);
    expect(((await rest.json()) as any).error.code).toBe('INTERNAL_SERVER_ERROR');
  });
});
