// Brings up the real platform for integration tests in either topology: a throwaway database, keys in a temp
// folder, a free port, and (distributed) each real subgraph as its own HTTP + graphql-ws service.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import {
  InProcessEventBus,
  loadConfig,
  type EventBus,
  type StingConfig,
  type SubgraphName,
} from '@sting/kit';
import { RemotePeers, serveSubgraph, type ServedSubgraph } from '@sting/kit';
import { startPlatform, type RunningPlatform } from '@sting/gateway';
import { loadSubgraphModules, startSubgraphRuntime } from '@sting/gateway';
import { stopSubgraphRuntime, type SubgraphRuntime } from '@sting/kit';

export const ADMIN = { email: 'admin@example.com', password: 'correct horse battery staple' };
const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://sting@127.0.0.1:55432/postgres';

export interface IntegrationPlatform {
  url: string;
  platform: RunningPlatform;
  /** The bus the subgraphs publish on (the platform's own when embedded). */
  bus: EventBus;
  fetches: { subgraph: SubgraphName; query: string }[];
  /** The platform's throwaway database (tests that write a subgraph's tables directly). */
  databaseUrl: string;
  /** Where each subgraph listens (distributed: its own service's URL). */
  subgraphs: Record<SubgraphName, string>;
  /** The gateway's signing keys (tests sign assertions of their own with them). */
  keysDir: string;
  /** Distributed: stops one subgraph's HTTP service, as if its process were gone (the platform's stop() is then
   * still safe to call). */
  stopService(name: SubgraphName): Promise<void>;
  stop(): Promise<void>;
}

/** A database of its own on the run's PostgreSQL, dropped by `drop()`. */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sting_it_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: SERVER_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** `external` adds Redis / Chroma URLs for the gateway (default: the test run's Chroma and an in-process bus). */
export async function startIntegrationPlatform(
  topology: 'embedded' | 'distributed',
  external: { redisUrl?: string; chromaUrl?: string; configure?: (config: StingConfig) => StingConfig } = {},
): Promise<IntegrationPlatform> {
  // Knowledge cannot start without Chroma: the run's own unless a test names another.
  external = { chromaUrl: process.env.CHROMA_URL, ...external };
  const database = await freshDatabase();
  const keysDir = join(await mkdtemp(join(tmpdir(), 'sting-it-')), 'keys');
  const base = await loadConfig({
    env: {
      ...process.env,
      STING_ADMIN_EMAIL: ADMIN.email,
      STING_ADMIN_PASSWORD: ADMIN.password,
      STING_LOG_LEVEL: 'error',
    },
  });
  const fetches: IntegrationPlatform['fetches'] = [];
  const services: ServedSubgraph[] = [];
  const servicesByName = new Map<SubgraphName, ServedSubgraph>();
  const runtimes: SubgraphRuntime[] = [];
  let bus: EventBus | undefined;
  const subgraphs = { ...base.gateway.subgraphs } as Record<SubgraphName, string>;
  let config = {
    ...base,
    topology,
    gateway: { ...base.gateway, port: 0, subgraphs },
    security: { ...base.security, keysDir },
    // Documents go to a throwaway blob store with a key of its own, never into the repository's .data.
    knowledge: {
      ...base.knowledge,
      storage: { dir: join(dirname(keysDir), 'blobs'), key: randomBytes(32).toString('hex') },
    },
  } as StingConfig;
  if (external.configure) config = external.configure(config);

  if (topology === 'distributed') {
    bus = new InProcessEventBus();
    const logger = pino({ level: 'silent' });
    // The gateway writes the key pair on start; the services need its public half first, so create it now.
    const { loadOrCreateSigningKeys } = await import('@sting/kit');
    await loadOrCreateSigningKeys(keysDir);
    for (const module of await loadSubgraphModules()) {
      // Chat reaches knowledge's search over HTTP, at the URLs filled in as the services start.
      const peers = new RemotePeers(subgraphs);
      const runtime = await startSubgraphRuntime(module, {
        databaseUrl: database.url,
        bus,
        logger,
        config,
        peers,
      });
      runtimes.push(runtime);
      const service = await serveSubgraph(module, runtime, { port: 0, keysDir });
      services.push(service);
      servicesByName.set(module.name as SubgraphName, service);
      subgraphs[module.name] = service.url;
    }
    config = { ...config, gateway: { ...config.gateway, subgraphs } } as StingConfig;
  }
  const platform = await startPlatform(
    config,
    { databaseUrl: database.url, ...external },
    {
      observeFetch: (subgraph, request) => fetches.push({ subgraph, query: request.query }),
    },
  );
  return {
    url: platform.url,
    platform,
    bus: bus ?? platform.bus,
    fetches,
    databaseUrl: database.url,
    subgraphs,
    keysDir,
    async stopService(name) {
      const service = servicesByName.get(name);
      if (!service) throw new Error(`no ${name} service: the platform is ${topology}`);
      servicesByName.delete(name);
      services.splice(services.indexOf(service), 1);
      await service.stop();
    },
    async stop() {
      await platform.stop();
      for (const service of services) await service.stop();
      for (const runtime of runtimes) await stopSubgraphRuntime(runtime);
      await bus?.close();
      await database.drop();
    },
  };
}

/** POSTs one GraphQL request and keeps the HTTP status and headers (sessions, cookies, 401s). */
export async function postGraphQL(
  url: string,
  query: string,
  headers: Record<string, string> = {},
  variables?: object,
) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

export async function graphql(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
) {
  const { body } = await postGraphQL(
    url,
    query,
    token ? { authorization: `Bearer ${token}` } : {},
    variables,
  );
  return body as {
    data?: any;
    errors?: { message: string; extensions?: Record<string, unknown> }[];
  };
}

/** Signs in with the built-in provider and returns the session token. */
export async function signIn(url: string, email: string, password: string): Promise<string> {
  const result = await graphql(
    url,
    'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
    {
      e: email,
      p: password,
    },
  );
  if (!result.data?.login) throw new Error(`signing in as ${email} failed: ${result.errors?.[0]?.message}`);
  return result.data.login.token;
}

/** kit's one waiting helper, for the tests that import it from here. */
export { waitFor } from '@sting/kit/testing';
