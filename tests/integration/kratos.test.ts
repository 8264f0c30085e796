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
      identity: { ...base.identity, provider: 'kratos', kratos: { publicUrl: kratos.url } },
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
