// What the gateway costs on a cross-subgraph list: honey jars with their owners through /graphql (embedded and
// distributed) against the bench fetching the same data from the subgraph services itself, as the gateway does.
// Every row is first warmed up untimed, BENCH_WARMUP s each (5 by default) in 1 s slices printed to stderr:
// throughput climbs over the first 2-3 s of load (the JIT, PostgreSQL's caches, the pools), and as the rows share
// this process, the last row's slices are past that climb, within the spread of the timed rounds on a shared 2-core
// machine. The timed rounds then vary the row order (measure.ts's roundOrder: forward then backward, rotating every
// two rounds, an even number of rounds: every row takes every place, and a steady drift moves the medians alike),
// and each row reports the medians of its rounds, its ratios those of the medians.
// node tests/bench/gateway-overhead.bench.ts   (BENCH_SECONDS per row over all rounds, BENCH_ROUNDS rounded up to
// even, BENCH_WARMUP s per row, BENCH_CONCURRENCY in flight)
import type { SubgraphName, SubgraphRequest, Viewer } from '@sting/kit';
import type { RunningPlatform } from '@sting/gateway';
import {
  graphql,
  login,
  startBenchPlatform,
  startBenchStack,
  startSubgraphServices,
  subgraphFetch,
  type BenchStack,
  type SubgraphServices,
} from './bench-platform.ts';
import {
  ROUND_ORDER,
  benchRounds,
  benchSeconds,
  closedLoop,
  fixed,
  interleavedRounds,
  medianOfRounds,
  table,
  warmUp,
  warmupSeconds,
  type LoadResult,
} from './measure.ts';

const QUERY = '{ honeyJars(first: 20) { nodes { name owner { displayName } } } }';
const JARS_PER_OWNER = 5;
const OWNERS = 4; // the admin and three members: 20 jars, 4 distinct owners to resolve
const seconds = benchSeconds(8);
const ROUNDS = benchRounds(4);
const warmup = warmupSeconds(5);
const concurrency = Number(process.env.BENCH_CONCURRENCY) || 16;

let counting = false;
const observed: { subgraph: SubgraphName; request: SubgraphRequest }[] = [];
let fetchCount = 0;
const observeFetch = (subgraph: SubgraphName, request: SubgraphRequest) => {
  if (counting) fetchCount++;
  else if (observed.length < 16) observed.push({ subgraph, request });
};

async function seed(url: string, adminToken: string): Promise<void> {
  const tokens = [adminToken];
  for (let i = 1; i < OWNERS; i++) {
    const email = `owner${i}@bench.example.com`;
    const password = 'bench password that is long enough';
    const created = await graphql(
      url,
      'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }',
      { i: { email, displayName: `Owner ${i}`, password } },
      adminToken,
    );
    if (created.errors) throw new Error(`createUser: ${created.errors[0].message}`);
    tokens.push(await login(url, email, password));
  }
  for (const [owner, token] of tokens.entries()) {
    for (let j = 0; j < JARS_PER_OWNER; j++) {
      const created = await graphql(
        url,
        'mutation ($n: String!) { createHoneyJar(input: { name: $n }) { id } }',
        { n: `Jar ${owner}.${j}` },
        token,
      );
      if (created.errors) throw new Error(`createHoneyJar: ${created.errors[0].message}`);
    }
  }
}

async function gatewayRequest(url: string, token: string): Promise<void> {
  const result = await graphql(url, QUERY, undefined, token);
  if (result.errors) throw new Error(result.errors[0].message);
  if (result.data.honeyJars.nodes.length !== OWNERS * JARS_PER_OWNER) throw new Error('short page');
}

/** The two fetches the gateway made for QUERY, replayed by the bench: jars, then the owners as entities. */
function directRequest(stack: BenchStack, services: SubgraphServices, viewer: Viewer) {
  const jars = observed.find((f) => f.subgraph === 'honey-jars')?.request;
  const owners = observed.find((f) => f.subgraph === 'identity' && f.request.query.includes('_entities'));
  if (!jars || !owners) throw new Error(`unexpected plan: ${observed.map((f) => f.subgraph).join(', ')}`);
  const sent = owners.request.variables?.representations as unknown[];
  // Mirror the gateway's choice: one representation per jar, or one per distinct owner.
  const distinct = sent.length < OWNERS * JARS_PER_OWNER;
  return async () => {
    const data = await subgraphFetch(stack, services.urls['honey-jars'], 'honey-jars', viewer, {
      query: jars.query,
      variables: jars.variables ?? undefined,
    });
    const all = (data.honeyJars.nodes as { owner: { __typename: string; id: string } }[]).map((n) => n.owner);
    const representations = distinct ? [...new Map(all.map((o) => [o.id, o])).values()] : all;
    const entities = await subgraphFetch(stack, services.urls.identity, 'identity', viewer, {
      query: owners.request.query,
      variables: { ...owners.request.variables, representations },
    });
    if (entities._entities.length !== representations.length) throw new Error('missing owners');
  };
}

type Row = { name: string; request: () => Promise<void>; rounds: LoadResult[]; fetches: number };

async function runRound(row: Row, round: number): Promise<void> {
  fetchCount = 0;
  counting = true;
  const result = await closedLoop(row.request, { concurrency, seconds: seconds / ROUNDS });
  counting = false;
  row.rounds.push(result);
  row.fetches += fetchCount;
  process.stderr.write(`[bench] round ${round + 1}, ${row.name}: ${fixed(result.perSecond)} req/s\n`);
}

const stack = await startBenchStack();
let services: SubgraphServices | undefined;
const platforms: RunningPlatform[] = [];
try {
  services = await startSubgraphServices(stack);
  const distributed = await startBenchPlatform(stack, 'distributed', { services, observeFetch });
  platforms.push(distributed);
  const token = await login(distributed.url);
  const me = await graphql(distributed.url, '{ me { id email displayName role } }', undefined, token);
  const viewer: Viewer = { kind: 'user', ...me.data.me };
  await seed(distributed.url, token);
  observed.length = 0;
  await gatewayRequest(distributed.url, token);
  const embedded = await startBenchPlatform(stack, 'embedded', { observeFetch });
  platforms.push(embedded);

  const rows: Row[] = [
    { name: 'direct to subgraphs', request: directRequest(stack, services, viewer) },
    { name: 'gateway, distributed', request: () => gatewayRequest(distributed.url, token) },
    { name: 'gateway, embedded', request: () => gatewayRequest(embedded.url, token) },
  ].map((row) => ({ ...row, rounds: [], fetches: 0 }));
  // Warm-up (JIT, connection pools, the session cache), then rounds that interleave the rows in alternating order.
  for (const row of rows) await warmUp(row.name, row.request, { concurrency, seconds: warmup });
  await interleavedRounds(rows, ROUNDS, runRound);

  const results = rows.map((row) => ({ ...row, result: medianOfRounds(row.rounds) }));
  const base = results[0].result;
  process.stdout.write(
    `\ngateway overhead: ${QUERY}\n${OWNERS * JARS_PER_OWNER} jars, ${OWNERS} owners; ${concurrency} in flight; ` +
      `${seconds}s per row in ${ROUNDS} interleaved rounds, ${ROUND_ORDER}, after ${warmup}s warm-up per row; ` +
      `req/s, p50 and p99 are medians over rounds, ratios of those; everything in this process ` +
      `(${stack.redisUrl ? 'Redis' : 'in-process'} bus)\n` +
      'direct = the bench sends the honey-jars query, then identity _entities for the owners, with signed assertions\n\n',
  );
  const lines = results.map(({ name, result: r, fetches }) => [
    name,
    name.startsWith('gateway') ? fixed(fetches / Math.max(1, r.requests + r.errors), 2) : '2.00',
    String(r.requests),
    String(r.errors),
    fixed(r.perSecond),
    fixed(r.p50, 2),
    fixed(r.p99, 2),
    fixed(r.perSecond / base.perSecond, 2),
    fixed(r.p50 / base.p50, 2),
  ]);
  const header = ['path', 'fetches/req', 'requests', 'errors', 'req/s', 'p50 ms', 'p99 ms', 'req/s ÷ direct'];
  process.stdout.write(table([...header, 'p50 ÷ direct'], lines) + '\n');
  for (const { name, result } of results)
    if (result.firstError) process.stdout.write(`${name}: first error ${result.firstError}\n`);
} finally {
  for (const platform of platforms) await platform.stop();
  await services?.stop();
  await stack.stop();
}
