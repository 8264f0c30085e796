// This gateway against its peers on the same supergraph: two subgraphs of the bench's own (tests/standins/
// foreign-subgraphs.ts) served by the generic mode (gateway/src/serve.ts), by plain @apollo/gateway with Apollo
// Server, and by Hive Gateway, each in its own process, under the same closed-loop load in interleaved rounds.
// Every gateway is first warmed up untimed, BENCH_WARMUP s each (5 by default) in 1 s slices printed to stderr:
// plans cached, JIT settled, connections open; the slices climb for the first 2-4 s (Hive Gateway's longest), the
// last ones within the spread of the timed rounds on a shared 2-core machine. The timed rounds then vary the order
// (measure.ts's roundOrder: forward then backward, rotating every two rounds, an even number of rounds: every
// gateway takes every place, and a steady drift moves every median alike), and each row reports the medians of its
// rounds, its ratios those of the medians.
// STING's gateway runs with the platform's V8 flags (NODE_FLAGS: a 16 MB young-generation semi-space), the peers
// with Node's defaults; BENCH_STING_NODE_DEFAULTS=1 runs this one with the defaults too.
// All three run with Node's module compile cache on (filled by one untimed start of each), as this gateway's
// serve.ts and launcher run it: only the server script's own few files are type-stripped, in all three alike.
// node tests/bench/peer-gateways.bench.ts   (BENCH_SECONDS per row and round, BENCH_CONCURRENCY in flight,
// BENCH_ROUNDS (rounded up to even), BENCH_WARMUP s per row, BENCH_GATEWAYS=sting,apollo,hive)
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request as httpRequest } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_FLAGS } from '@sting/kit/runtime/node-flags.ts';
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

const QUERY = '{ topProducts(first: 5) { upc name price reviews { id body author { id name username } } } }';
const seconds = benchSeconds(5);
const concurrency = Number(process.env.BENCH_CONCURRENCY) || 16;
const ROUNDS = benchRounds(4);
const warmup = warmupSeconds(5);
const gateways = (process.env.BENCH_GATEWAYS ?? 'sting,apollo,hive').split(',');
const NAMES: Record<string, string> = {
  sting: 'STING (generic mode)',
  apollo: '@apollo/gateway + Apollo Server',
  hive: 'Hive Gateway',
};
const server = fileURLToPath(new URL('./peer-gateway-server.ts', import.meta.url));

interface Started {
  child: ChildProcess;
  url: string;
}

/**
 * The Node flags a gateway's process runs with: this gateway the V8 flags STING's processes run with (ops/bin/sting;
 * node-flags.ts says why), the peers Node's defaults, as each is shipped.
 */
function nodeFlags(kind: string): readonly string[] {
  return kind === 'sting' && !process.env.BENCH_STING_NODE_DEFAULTS ? NODE_FLAGS : [];
}

/** Runs peer-gateway-server.ts and waits for the line it prints once listening. */
function startProcess(kind: string, supergraph: string): Promise<Started> {
  const child = spawn(process.execPath, [...nodeFlags(kind), server, kind, supergraph], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n')[0];
      if (output.includes('\n')) resolve({ child, url: line.trim() });
    });
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code} before listening`)));
  });
}

/** Starts a gateway that leaves what it loaded in Node's compile cache and exits. */
async function fillCompileCache(kind: string, supergraph: string): Promise<void> {
  const child = spawn(process.execPath, [...nodeFlags(kind), server, kind, supergraph, '--fill-cache'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${kind} could not start to fill the compile cache (exit ${code})`);
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** One keep-alive connection pool per gateway, as a real client would have. */
function client(url: string): () => Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const body = JSON.stringify({ query: QUERY });
  const target = new URL(url);
  return () =>
    new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            // Cheap checks that keep the client's cost equal for every gateway: a 200 with data and no errors.
            if (
              res.statusCode === 200 &&
              text.startsWith('{"data":{"topProducts":[') &&
              !text.includes('"errors"')
            )
              resolve();
            else reject(new Error(`${res.statusCode}: ${text.slice(0, 200)}`));
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
}

const dir = await mkdtemp(join(tmpdir(), 'sting-peer-bench-'));
const supergraph = join(dir, 'supergraph.graphql');
const started: Started[] = [];
try {
  started.push(await startProcess('subgraphs', supergraph));
  const rows: {
    kind: string;
    pid: number;
    send: () => Promise<void>;
    rounds: LoadResult[];
    idle: number;
    rss: number;
  }[] = [];
  for (const kind of gateways) {
    // Each gateway starts once untimed first, filling Node's compile cache that every measured one starts from.
    await fillCompileCache(kind, supergraph);
    const gateway = await startProcess(kind, supergraph);
    started.push(gateway);
    const send = client(gateway.url);
    await send(); // fails loudly if this gateway cannot answer the query at all
    rows.push({
      kind,
      pid: gateway.child.pid!,
      send,
      rounds: [],
      idle: await rssMb(gateway.child.pid!),
      rss: 0,
    });
  }
  // Warm-up: plans cached, JIT settled, connections open; then rounds in alternating order.
  for (const row of rows) await warmUp(row.kind, row.send, { concurrency, seconds: warmup });
  await interleavedRounds(rows, ROUNDS, async (row, round) => {
    const result = await closedLoop(row.send, { concurrency, seconds });
    row.rounds.push(result);
    row.rss = Math.max(row.rss, await rssMb(row.pid));
    process.stderr.write(`[bench] round ${round + 1}, ${row.kind}: ${result.perSecond.toFixed(0)} req/s\n`);
  });
  const merged = rows.map((row) => ({ ...row, result: medianOfRounds(row.rounds) }));
  const of = (kind: string) => merged.find((row) => row.kind === kind)?.result;
  const rssOf = (kind: string) => merged.find((row) => row.kind === kind)?.rss ?? NaN;
  const apollo = of('apollo');
  const hive = of('hive');
  const ratio = (a: number, b: number | undefined) => (b === undefined ? '-' : fixed(a / b, 2));
  const lines = merged.map(({ kind, result, idle, rss }) => [
    NAMES[kind] ?? kind,
    String(result.requests),
    String(result.errors),
    fixed(result.perSecond, 0),
    fixed(result.p50, 2),
    fixed(result.p99, 2),
    fixed(idle, 0),
    fixed(rss, 0),
    ratio(result.perSecond, apollo?.perSecond),
    ratio(result.perSecond, hive?.perSecond),
    ratio(result.p99, apollo?.p99),
    ratio(result.p99, hive?.p99),
    apollo ? fixed(rss - rssOf('apollo'), 0) : '-',
  ]);
  process.stdout.write(
    `\npeer gateways: ${QUERY}\n2 subgraphs (products → accounts entity fetch); ${concurrency} in flight, ` +
      `keep-alive; ${seconds}s per row and round in ${ROUNDS} interleaved rounds, ${ROUND_ORDER}, after ` +
      `${warmup}s warm-up each; req/s, p50 and p99 are medians over rounds, ratios of those; each gateway and ` +
      `the subgraphs in their own process\n\n`,
  );
  const header = [
    'gateway',
    'requests',
    'errors',
    'req/s',
    'p50 ms',
    'p99 ms',
    'RSS idle MB',
    'RSS after MB',
    'req/s ÷ apollo',
    'req/s ÷ hive',
    'p99 ÷ apollo',
    'p99 ÷ hive',
    'RSS − apollo MB',
  ];
  process.stdout.write(table(header, lines) + '\n');
  const firstError = merged.find((row) => row.result.firstError);
  if (firstError) process.stdout.write(`first error (${firstError.kind}): ${firstError.result.firstError}\n`);
} finally {
  for (const { child } of started.reverse()) child.kill('SIGTERM');
  await rm(dir, { recursive: true, force: true });
}
