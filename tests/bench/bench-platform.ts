// The real platform for a benchmark: PostgreSQL from DATABASE_URL or started privately through ops' launcher, a
// throwaway database, one signing key pair shared by every gateway and subgraph service of the run.
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import {
  IDENTITY_HEADER,
  InProcessEventBus,
  REQUEST_ID_HEADER,
  RedisEventBus,
  loadConfig,
  loadOrCreateSigningKeys,
  serveSubgraph,
  signAssertion,
  type EventBus,
  type ServedSubgraph,
  type StingConfig,
  type SubgraphName,
  type SubgraphRuntime,
  type Viewer,
} from '@sting/kit';
import {
  loadSubgraphModules,
  startPlatform,
  startSubgraphRuntime,
  type FetchObserver,
  type RunningPlatform,
} from '@sting/gateway';
import { startChroma } from '@sting/ops/services/chroma.ts';
import { startPostgres, withDatabase } from '@sting/ops/services/postgres.ts';
import { freePort } from '@sting/ops/services/readiness.ts';
import { stopSubgraphRuntime } from '@sting/kit';
import { ADMIN, graphql } from '../integration/platform.ts';
import { removeDeadRuns } from '../setup/test-services.ts';
import { NODE_FLAGS } from '@sting/kit/runtime/node-flags.ts';

export { ADMIN, graphql };
export type Topology = 'embedded' | 'distributed';

export interface BenchStack {
  config: StingConfig;
  databaseUrl: string;
  /** Empty: each platform and service set gets its own in-process bus. */
  redisUrl: string;
  privateKey: KeyObject;
  stop(): Promise<void>;
}

/** Subgraphs as HTTP + graphql-ws services (in this process), as the distributed topology reaches them. */
export interface SubgraphServices {
  urls: Record<SubgraphName, string>;
  bus: EventBus;
  stop(): Promise<void>;
}

const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);

/**
 * Runs this benchmark again under the V8 flags STING's processes run with (NODE_FLAGS) unless it already is, and
 * exits with that run's status. For a benchmark timing a subgraph's code in its own process: V8 takes the flags
 * only on the command line, and a young generation of Node's default size (64 MB semi-spaces, where the
 * platform's processes keep 16) makes each scavenge copy several times what it copies in a platform process, in
 * one pause (search over 100 jars of 100k chunks: scavenges of 24-28 ms (p50) about every second, against 6-9 ms
 * about four times a second).
 */
export function runUnderPlatformFlags(): void {
  if (NODE_FLAGS.every((flag) => process.execArgv.includes(flag))) return;
  const run = spawnSync(process.execPath, [...NODE_FLAGS, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  process.exit(run.status ?? 1);
}

export async function startBenchStack(): Promise<BenchStack> {
  const config = await loadConfig({
    env: {
      ...process.env,
      STING_ADMIN_EMAIL: ADMIN.email,
      STING_ADMIN_PASSWORD: ADMIN.password,
      STING_LOG_LEVEL: 'error',
    },
  });
  // Beside the test runs' data (the database account can reach it there), private to this process; what benchmarks
  // that were killed or crashed left there goes first.
  const runs = join(config.root, '.data', 'bench-runs');
  removeDeadRuns(runs);
  const scratch = join(runs, String(process.pid));
  const database = `sting_bench_${randomBytes(4).toString('hex')}`;
  // DATABASE_URL: that server; otherwise a private cluster on a free port, removed with the scratch folder.
  const postgres = await startPostgres({
    url: process.env.DATABASE_URL || undefined,
    port: await freePort(),
    dataDir: join(scratch, 'postgres'),
    database,
    logDir: join(scratch, 'logs'),
    log: say,
  });
  say(`PostgreSQL ${postgres.reused ? 'given by DATABASE_URL' : 'started'}; database ${database}`);
  // knowledge needs Chroma: CHROMA_URL, otherwise a private one beside the database.
  const chroma = await startChroma({
    url: process.env.CHROMA_URL || undefined,
    port: await freePort(),
    dataDir: join(scratch, 'chroma'),
    logDir: join(scratch, 'logs'),
    cacheDir: join(config.root, '.cache'),
    log: say,
  });
  say(`Chroma ${chroma.reused ? 'given by CHROMA_URL' : 'started'}`);
  const keysDir = join(scratch, 'keys');
  const { privateKey } = await loadOrCreateSigningKeys(keysDir);
  return {
    config: {
      ...config,
      // The load comes from one user at hundreds of requests a second: the per-user rate limit would turn the
      // measurement into one of 429 answers, so benchmarks measure federation with limits off.
      // Likewise the fan-out bench opens more subscriptions (and sockets) as one user than the per-user caps allow.
      gateway: {
        ...config.gateway,
        port: 0,
        rateLimit: { ...config.gateway.rateLimit, enabled: false },
        subscriptions: {
          ...config.gateway.subscriptions,
          perUser: 1_000_000,
          socketsPerUser: 100_000,
          socketsPerAddress: 1_000_000,
        },
      },
      security: { ...config.security, keysDir },
      chroma: { ...config.chroma, url: chroma.url },
    } as StingConfig,
    databaseUrl: postgres.url,
    redisUrl: process.env.REDIS_URL ?? '',
    privateKey,
    async stop() {
      const admin = new pg.Client({ connectionString: withDatabase(postgres.url, 'postgres') });
      await admin.connect();
      await admin.query(`drop database if exists ${database} with (force)`);
      await admin.end();
      await postgres.stop();
      await chroma.stop();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

export function busFor(stack: BenchStack): EventBus {
  return stack.redisUrl
    ? new RedisEventBus(stack.redisUrl, { logger: pino({ level: 'silent' }) })
    : new InProcessEventBus();
}

export async function startSubgraphServices(stack: BenchStack): Promise<SubgraphServices> {
  const bus = busFor(stack);
  const logger = pino({ level: 'silent' });
  const runtimes: SubgraphRuntime[] = [];
  const served: ServedSubgraph[] = [];
  const urls = {} as Record<SubgraphName, string>;
  for (const module of await loadSubgraphModules()) {
    const runtime = await startSubgraphRuntime(module, {
      databaseUrl: stack.databaseUrl,
      bus,
      logger,
      config: stack.config,
    });
    runtimes.push(runtime);
    const service = await serveSubgraph(module, runtime, { port: 0, keysDir: stack.config.security.keysDir });
    served.push(service);
    urls[module.name] = service.url;
  }
  return {
    urls,
    bus,
    async stop() {
      for (const service of served) await service.stop();
      for (const runtime of runtimes) await stopSubgraphRuntime(runtime);
      await bus.close();
    },
  };
}

export async function startBenchPlatform(
  stack: BenchStack,
  topology: Topology,
  options: { services?: SubgraphServices; observeFetch?: FetchObserver } = {},
): Promise<RunningPlatform> {
  if (topology === 'distributed' && !options.services) throw new Error('distributed needs subgraph services');
  const subgraphs = options.services?.urls ?? stack.config.gateway.subgraphs;
  const config = {
    ...stack.config,
    topology,
    gateway: { ...stack.config.gateway, subgraphs },
  } as StingConfig;
  return startPlatform(
    config,
    {
      databaseUrl: stack.databaseUrl,
      redisUrl: stack.redisUrl || undefined,
      chromaUrl: stack.config.chroma.url || undefined,
    },
    { observeFetch: options.observeFetch },
  );
}

export async function login(url: string, email = ADMIN.email, password = ADMIN.password): Promise<string> {
  const result = await graphql(
    url,
    'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
    { e: email, p: password },
  );
  if (result.errors) throw new Error(`login failed: ${result.errors[0].message}`);
  return result.data.login.token as string;
}

/** POSTs to a subgraph service as `viewer`, with a fresh assertion as the gateway signs one per fetch. */
export async function subgraphFetch(
  stack: BenchStack,
  url: string,
  audience: SubgraphName,
  viewer: Viewer,
  body: { query: string; variables?: Record<string, unknown> },
): Promise<any> {
  const requestId = randomUUID();
  const ttlSeconds = stack.config.security.assertionTtlSeconds;
  const identity = await signAssertion(stack.privateKey, { audience, viewer, requestId, ttlSeconds });
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [IDENTITY_HEADER]: identity,
      [REQUEST_ID_HEADER]: requestId,
    },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { data?: any; errors?: { message: string }[] };
  if (!response.ok || json.errors) {
    throw new Error(`${audience} answered ${response.status}: ${json.errors?.[0]?.message ?? ''}`);
  }
  return json.data;
}

/** Bounded wait for a condition (listener counts, deliveries); false when time ran out. */
export async function settle(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
}
