// What loading generic mode loads: it imports kit by file, never kit's index, so the database layer (MikroORM,
// kysely, pg), config loading (zod, yaml), Redis, Vault, Chroma and Ory's client stay out of a gateway in front of
// someone else's subgraphs; nor do the JWT library (nothing is signed), the rate limiter (until rate limiting counts
// a request) or the Pollen Filter (the logger is the caller's). Serving a query with rate limiting off loads none of
// them either, and builds no query planner for subscriptions. Checked in a fresh process with a load hook that
// records every module.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startForeignSubgraphs, type ForeignSubgraphs } from '../../tests/standins/foreign-subgraphs.ts';

const GATEWAY_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Packages generic mode must not load (the embedded and distributed topologies load them as they need them). */
const NOT_LOADED = [
  '@mikro-orm/',
  'kysely',
  'pg',
  'zod',
  'yaml',
  'ioredis',
  'node-vault',
  'chromadb',
  '@ory/client',
  'undici',
  'jose',
  'rate-limiter-flexible',
];

/** Source files of the platform generic mode must not load. */
const NOT_LOADED_FILES = [
  '/packages/kit/src/index.ts',
  '/packages/kit/src/logging/logger.ts',
  '/packages/pollen-filter/src/index.ts',
];

const RECORD_LOADS = `
import { registerHooks } from 'node:module';
const loaded = [];
registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
`;

const LIST_MODULES = `${RECORD_LOADS}
await import('@sting/gateway/generic/index.ts');
process.stdout.write(JSON.stringify({ loaded }));
`;

/** Starts generic mode over the supergraph file in argv[1] with rate limiting off and answers one query. */
const SERVE_ONE_QUERY = `${RECORD_LOADS}
import { request } from 'node:http';
const { default: pino } = await import('pino');
const { startGenericGateway } = await import('@sting/gateway/generic/index.ts');
const gateway = await startGenericGateway({
  supergraph: process.argv[1],
  port: 0,
  metricsPort: 0,
  logger: pino({ level: 'silent' }),
  protection: { rateLimit: { enabled: false, requestsPerMinute: 600, loginPerMinute: 10 } },
});
const body = JSON.stringify({ query: '{ topProducts(first: 1) { name reviews { author { name } } } }' });
const answer = await new Promise((resolve, reject) => {
  const req = request(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
    let text = '';
    res.setEncoding('utf8').on('data', (chunk) => (text += chunk)).on('end', () => resolve(JSON.parse(text)));
  });
  req.on('error', reject);
  req.end(body);
});
const plannerBuilt = gateway.federation.planning.subscriptionPlans.plannerBuilt;
await gateway.stop();
process.stdout.write(JSON.stringify({ loaded, answer, plannerBuilt }));
`;

async function runScript(
  script: string,
  ...args: string[]
): Promise<{ loaded: string[]; answer?: unknown; plannerBuilt?: boolean }> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--input-type=module', '--eval', script, ...args],
    { cwd: GATEWAY_DIR, maxBuffer: 16 * 1024 * 1024 },
  );
  return JSON.parse(stdout);
}

/** What of NOT_LOADED and NOT_LOADED_FILES the module URLs include. */
function forbidden(urls: string[]): string[] {
  const packages = new Set(
    urls.map((url) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1]).filter(Boolean) as string[],
  );
  return [
    ...[...packages].filter((name) =>
      NOT_LOADED.some((p) => (p.endsWith('/') ? name.startsWith(p) : name === p)),
    ),
    ...urls.filter((url) => NOT_LOADED_FILES.some((file) => url.endsWith(file))),
  ];
}

let foreign: ForeignSubgraphs;
let supergraphPath: string;

beforeAll(async () => {
  foreign = await startForeignSubgraphs({ record: false });
  supergraphPath = join(await mkdtemp(join(tmpdir(), 'sting-footprint-')), 'supergraph.graphql');
  await writeFile(supergraphPath, foreign.supergraphSdl);
});

afterAll(async () => {
  await foreign?.close();
});

describe('generic mode footprint', () => {
  it('loads none of the database, config, Redis, Vault, Chroma, Ory, JWT, rate-limiter or Pollen Filter modules', async () => {
    const { loaded } = await runScript(LIST_MODULES);
    expect(loaded.some((url) => url.endsWith('/gateway/src/generic/index.ts'))).toBe(true);
    expect(forbidden(loaded)).toEqual([]);
  }, 30_000);

  it('serves a query with rate limiting off without loading them or planning subscriptions', async () => {
    const { loaded, answer, plannerBuilt } = await runScript(SERVE_ONE_QUERY, supergraphPath);
    expect(answer).toEqual({
      data: { topProducts: [{ name: 'Product 0', reviews: expect.any(Array) }] },
    });
    expect(forbidden(loaded)).toEqual([]);
    expect(plannerBuilt).toBe(false);
  }, 60_000);
});
