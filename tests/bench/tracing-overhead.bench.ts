// What tracing costs a request: the cross-subgraph list of gateway-overhead.bench.ts through /graphql (embedded and
// distributed) with observability.tracing off (nothing of the SDK loaded) against on, every span exported over
// OTLP/HTTP to a stand-in collector in another process, sampling every request. Off and on each run in a platform
// process of their own (tracing-platform-server.ts, one topology at a time, on this bench's PostgreSQL): a tracer
// provider, once registered, stays cached inside Apollo's gateway tracer, so one process cannot go back to off, and
// two let the rounds alternate off and on. Both rows of a topology are first warmed up untimed, BENCH_WARMUP s each
// (5 by default) in 1 s slices printed to stderr: a fresh platform process runs its first 2-3 s of load at half to
// two thirds of its later rate (the JIT, PostgreSQL's caches, the pools), its last slices within the spread of the
// timed rounds on a shared 2-core machine. The timed rounds then alternate the order (reversed every other round,
// an even number of rounds: neither row is always first, and a steady drift moves both medians alike), and each
// row reports the medians of its rounds; the overheads are ratios of those medians. Two platform processes differ
// by up to 15% with the same settings (seen with tracing off in both), so this is done for BENCH_PAIRS pairs of
// fresh processes (3 by default) one after another, and the overheads reported are the medians of the pairs'
// (each pair's is listed too). CPU µs/req is the platform
// process's CPU time (gateway, subgraphs and span export; not this load client, PostgreSQL or the collector) per
// request.
// node tests/bench/tracing-overhead.bench.ts   (BENCH_SECONDS per row and pair over all rounds, BENCH_ROUNDS
// rounded up to even, BENCH_WARMUP s per row, BENCH_CONCURRENCY in flight, BENCH_PAIRS of processes)
import { graphql, startBenchStack } from './bench-platform.ts';
import {
  benchRounds,
  benchSeconds,
  closedLoop,
  fixed,
  interleavedRounds,
  median,
  medianOfRounds,
  table,
  warmUp,
  warmupSeconds,
  type LoadResult,
} from './measure.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const QUERY = '{ honeyJars(first: 20) { nodes { name owner { displayName } } } }';
const seconds = benchSeconds(8);
const ROUNDS = benchRounds(4);
const warmup = warmupSeconds(5);
const concurrency = Number(process.env.BENCH_CONCURRENCY) || 16;
const PAIRS = Math.max(1, Number(process.env.BENCH_PAIRS) || 3);
const TOPOLOGIES = ['embedded', 'distributed'] as const;
const PHASES = ['off', 'on'] as const;
type Phase = (typeof PHASES)[number];
type Topology = (typeof TOPOLOGIES)[number];
const label = (row: { topology: Topology; phase: Phase; pair: number }) =>
  `${row.topology}, pair ${row.pair + 1}, tracing ${row.phase}`;

async function request(url: string, token: string): Promise<void> {
  const result = await graphql(url, QUERY, undefined, token);
  if (result.errors) throw new Error(result.errors[0].message);
}

/**
 * The stand-in collector in a process of its own, as a real collector would be: its parsing is not the platform's
 * cost. It prints its URL, and on SIGTERM what it received.
 */
async function collectorProcess(): Promise<{
  url: string;
  child: ChildProcess;
  received(): Promise<string>;
}> {
  const module = new URL('../standins/otlp-collector.ts', import.meta.url).href;
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { startStandInCollector } = await import(${JSON.stringify(module)});
       const c = await startStandInCollector();
       console.log(c.url);
       process.once('SIGTERM', () => { console.log(c.spans.length + ' spans in ' + c.exports + ' exports'); process.exit(0); });`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  while (!output.includes('\n')) await once(child.stdout!, 'data');
  return {
    url: output.trim(),
    child,
    async received() {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
      return output.split('\n')[1]?.trim() ?? '';
    },
  };
}

interface PlatformProcess {
  url: string;
  token: string;
  /** The process's user + system CPU time so far, in µs. */
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

/** tracing-platform-server.ts, tracing `phase`, on the PostgreSQL and Chroma of `stack`, once serving. */
async function platformProcess(
  topology: Topology,
  phase: Phase,
  stack: { databaseUrl: string; chromaUrl: string },
  collectorUrl: string,
): Promise<PlatformProcess> {
  const script = fileURLToPath(new URL('./tracing-platform-server.ts', import.meta.url));
  const child = spawn(process.execPath, [script, phase, topology, collectorUrl], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, DATABASE_URL: stack.databaseUrl, CHROMA_URL: stack.chromaUrl },
  });
  const exited = once(child, 'exit');
  let serving = false;
  const [ready] = (await Promise.race([
    once(child, 'message'),
    exited.then(([code]) => {
      if (!serving) throw new Error(`${topology}, tracing ${phase}: exited with ${code} before serving`);
    }),
  ])) as [{ url: string; token: string }];
  serving = true;
  return {
    ...ready,
    async cpuMicros() {
      child.send('cpu');
      const [{ cpu }] = (await once(child, 'message')) as [{ cpu: NodeJS.CpuUsage }];
      return cpu.user + cpu.system;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send('stop');
      await exited;
    },
  };
}

type Row = {
  topology: Topology;
  phase: Phase;
  pair: number;
  platform: PlatformProcess;
  send: () => Promise<void>;
  rounds: LoadResult[];
  /** CPU µs per request, one figure per round. */
  cpu: number[];
};

const stack = await startBenchStack(); // PostgreSQL and Chroma for the platform processes
const collector = await collectorProcess();
const started: PlatformProcess[] = [];
try {
  const shared = { databaseUrl: stack.databaseUrl, chromaUrl: stack.config.chroma.url };
  // Each topology's pairs, in order: [off, on] rows of one pair of processes.
  const pairsOf = new Map<Topology, [off: Row, on: Row][]>(TOPOLOGIES.map((t) => [t, []]));
  // One topology at a time: platform processes of both topologies at once would want more PostgreSQL connections
  // than its default 100.
  for (const topology of TOPOLOGIES)
    for (let pair = 0; pair < PAIRS; pair++) {
      const group: Row[] = [];
      for (const phase of PHASES) {
        const platform = await platformProcess(topology, phase, shared, collector.url);
        started.push(platform);
        const send = () => request(platform.url, platform.token);
        group.push({ topology, phase, pair, platform, send, rounds: [], cpu: [] });
      }
      for (const row of group) await warmUp(label(row), row.send, { concurrency, seconds: warmup });
      await interleavedRounds(group, ROUNDS, async (row, round) => {
        const before = await row.platform.cpuMicros();
        const result = await closedLoop(row.send, { concurrency, seconds: seconds / ROUNDS });
        const used = (await row.platform.cpuMicros()) - before;
        row.rounds.push(result);
        row.cpu.push(used / Math.max(1, result.requests));
        process.stderr.write(
          `[bench] round ${round + 1}, ${label(row)}: ${fixed(result.perSecond)} req/s, ` +
            `${fixed(used / Math.max(1, result.requests), 0)} CPU µs/req\n`,
        );
      });
      for (const row of group) await row.platform.stop(); // the on side exports what it still holds
      pairsOf.get(topology)!.push([group[0], group[1]]);
    }
  const received = await collector.received();

  process.stdout.write(
    `\ntracing overhead: ${QUERY}\n${concurrency} in flight; ${PAIRS} pairs of platform processes per topology, one ` +
      `pair at a time; ${seconds}s per row in ${ROUNDS} interleaved rounds, ` +
      `order reversed every other round, after ${warmup}s warm-up per row; off and on in a platform process ` +
      `each, one topology at a time; req/s, p50 and CPU µs/req (the platform process's) are medians over ` +
      `rounds, overheads ratios of those, then the median over pairs (each pair's in brackets); on = every ` +
      `request sampled, spans batched over OTLP/HTTP (JSON) to a stand-in collector in another process (${received})\n\n`,
  );
  const percent = (ratio: number) => `${fixed((ratio - 1) * 100, 1)}%`;
  const lines = TOPOLOGIES.map((topology) => {
    const pairs = pairsOf.get(topology)!.map(([off, on]) => {
      const a = medianOfRounds(off.rounds);
      const b = medianOfRounds(on.rounds);
      const cpuOff = median(off.cpu);
      const cpuOn = median(on.cpu);
      return { cpuOff, cpuOn, cpu: cpuOn / cpuOff, a, b, rate: a.perSecond / b.perSecond };
    });
    type Pair = (typeof pairs)[number];
    const middle = (pick: (p: Pair) => number) => median(pairs.map(pick));
    const each = (pick: (p: Pair) => number) =>
      pairs.length > 1 ? ` [${pairs.map((p) => percent(pick(p))).join(', ')}]` : '';
    const cpuOff = middle((p) => p.cpuOff);
    const cpuOn = middle((p) => p.cpuOn);
    const p50Off = middle((p) => p.a.p50);
    const p50On = middle((p) => p.b.p50);
    return [
      topology,
      fixed(cpuOff, 0),
      fixed(cpuOn, 0),
      percent(middle((p) => p.cpu)) + each((p) => p.cpu),
      fixed(middle((p) => p.a.perSecond)),
      fixed(middle((p) => p.b.perSecond)),
      fixed(p50Off, 2),
      fixed(p50On, 2),
      percent(middle((p) => p.rate)) + each((p) => p.rate),
    ];
  });
  const header = [
    ...['topology', 'CPU µs/req off', 'CPU µs/req on', 'CPU overhead'],
    ...['req/s off', 'req/s on', 'p50 ms off', 'p50 ms on', 'req/s overhead'],
  ];
  process.stdout.write(table(header, lines) + '\n');
  for (const row of [...pairsOf.values()].flat(2)) {
    const { errors, firstError } = medianOfRounds(row.rounds);
    if (firstError) process.stdout.write(`${label(row)}: ${errors} errors, the first ${firstError}\n`);
  }
} finally {
  for (const platform of started) await platform.stop();
  if (collector.child.exitCode === null) collector.child.kill('SIGTERM');
  await stack.stop();
}
