// What tracing costs a request: the cross-subgraph list of gateway-overhead.bench.ts through /graphql (embedded and
// distributed) with observability.tracing off against on, every span exported over OTLP/HTTP to a stand-in
// collector in another process (which parses what it received once the rounds are over, as its parsing is not the
// platform's cost), sampling every request, and against on with one new trace in ten sampled (what a
// busy deployment sets: the other nine still run with trace context and their spans unrecorded). The rows alternate
// inside one platform process
// (tracing-platform-server.ts, one topology at a time, on this bench's PostgreSQL), which stops tracing for the off
// rounds (its provider shut down, PostgreSQL unpatched, Apollo's tracer a no-op) and starts it again for the traced
// rows. Two platform processes with the same settings differ by up to 15% in CPU per request, more than what is
// measured; within one process, rounds vary too, with whatever else the 2-core machine runs at the moment (the load
// client, PostgreSQL, the collector), so the platform process runs alone on one CPU and the rest on the others
// (taskset; BENCH_PIN=0 does not pin), the rounds are short (1 s by default) and many, and the rows take turns.
// The rows of a process are first warmed up untimed, BENCH_WARMUP s each (10 by default) in 1 s slices printed to
// stderr. The timed rounds then vary the order (measure.ts's roundOrder: forward then backward, rotating every two
// rounds, an even number of rounds: every row takes every place, and a steady drift moves the medians alike), and
// each row reports the medians of its rounds; the overheads are ratios of those medians. This is done in
// BENCH_PROCESSES platform processes per topology (3 by default), one after another, and the overheads reported
// are the medians of the processes' (each listed too), and, steadier, the median over every round of every process
// of the round's traced CPU against the same round's off (paired: the two ran in the same round), each process's
// listed too, with its 95% bootstrap interval, on which the goal (under 5%) is judged. The interval resamples the
// processes, then each one's rounds (measure.ts's groupedMedianInterval): processes differ from one another by
// more than their rounds scatter, and intervals of rounds pooled as if independent missed the next run's median.
// CPU µs/req is the platform process's CPU time (gateway, subgraphs and span export, the spans of an on round
// exported before its CPU time is read; not this load client, PostgreSQL or the collector) per request.
// A fourth row runs with tracing off again and is reported like a traced row: its difference from off is the
// measurement's own noise (an A/A comparison), so an overhead smaller than it is not told apart from none.
// node tests/bench/tracing-overhead.bench.ts   (BENCH_SECONDS per row and process over all rounds, BENCH_ROUNDS
// rounded up to even, BENCH_WARMUP s per row, BENCH_CONCURRENCY in flight, BENCH_PROCESSES per topology,
// BENCH_OTLP_PROTOCOL http/protobuf (the default) or http/json)
import { graphql, startBenchStack } from './bench-platform.ts';
import {
  ROUND_ORDER,
  benchRounds,
  benchSeconds,
  closedLoop,
  fixed,
  interleavedRounds,
  median,
  groupedMedianInterval,
  medianOfRounds,
  table,
  warmUp,
  warmupSeconds,
  type LoadResult,
} from './measure.ts';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const QUERY = '{ honeyJars(first: 20) { nodes { name owner { displayName } } } }';
const seconds = benchSeconds(16);
const ROUNDS = benchRounds(16);
const warmup = warmupSeconds(10);
const concurrency = Number(process.env.BENCH_CONCURRENCY) || 16;
const PROCESSES = Math.max(1, Number(process.env.BENCH_PROCESSES) || 3);
/** The spans' encoding, handed to each tracing-platform-server.ts. */
const OTLP_PROTOCOL = process.env.BENCH_OTLP_PROTOCOL === 'http/json' ? 'http/json' : 'http/protobuf';
const TOPOLOGIES = ['embedded', 'distributed'] as const;

/**
 * The CPU the platform processes run on, alone, while this process (the load client) and what it starts after
 * (PostgreSQL, Chroma, the collector) run on the others; undefined when not pinned (BENCH_PIN=0, one CPU, or no
 * taskset). Sharing every CPU with them, a round's CPU per request moved with whatever they did at the moment.
 */
function pinnedCpu(): number | undefined {
  const cpus = availableParallelism();
  if (process.env.BENCH_PIN === '0' || cpus < 2) return undefined;
  try {
    // -a: every thread of this process, so the processes it starts inherit the same CPUs whichever starts them.
    execFileSync('taskset', ['-a', '-p', '-c', `0-${cpus - 2}`, String(process.pid)], { stdio: 'ignore' });
    return cpus - 1;
  } catch {
    return undefined;
  }
}
const PINNED = pinnedCpu();
// 'control' is tracing off again, a second row like 'off': its "overhead" against off is the noise of the
// measurement itself (an A/A comparison), printed beside the effects it has to be told apart from.
const PHASES = ['off', 'on', 'sampled', 'control'] as const;
type Phase = (typeof PHASES)[number];
type Topology = (typeof TOPOLOGIES)[number];
const label = (row: { topology: Topology; phase: Phase; process: number }) =>
  `${row.topology}, process ${row.process + 1}, tracing ${row.phase}`;
/** What each traced row is, in the table (tracing-platform-server.ts keeps one new trace in ten when sampled). */
const TRACED = {
  on: 'on, every request',
  sampled: 'on, 10% sampled',
  control: 'off again (noise floor)',
} as const;

async function request(url: string, token: string): Promise<void> {
  const result = await graphql(url, QUERY, undefined, token);
  if (result.errors) throw new Error(result.errors[0].message);
}

/**
 * The stand-in collector in a process of its own, as a real collector would be: its parsing is not the platform's
 * cost. It keeps what it receives and parses it only when the rounds are over: parsing while the platform serves
 * took CPU from the platform itself on this 2-core machine, as a collector on a machine of its own does not. It
 * prints its URL, and on SIGTERM what it received, or why an export could not be parsed.
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
       const c = await startStandInCollector({ deferParsing: true });
       console.log(c.url);
       process.once('SIGTERM', () => {
         try { c.settle(); console.log(c.spans.length + ' spans in ' + c.exports + ' exports'); }
         catch (err) { console.log('an export that is not one: ' + err.message); }
         process.exit(0);
       });`,
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
      const received = output.split('\n')[1]?.trim() ?? '';
      if (!/^\d+ spans in \d+ exports$/.test(received))
        throw new Error(`collector: ${received || 'no answer'}`);
      return received;
    },
  };
}

interface PlatformProcess {
  url: string;
  token: string;
  /** Switches the process's tracing on or off; resolves once done. */
  switchTo(phase: Phase): Promise<void>;
  /** The process's user + system CPU time so far, in µs, once tracing has exported what it holds. */
  cpuMicros(): Promise<number>;
  stop(): Promise<void>;
}

/** tracing-platform-server.ts on the PostgreSQL and Chroma of `stack`, once serving (tracing off). */
async function platformProcess(
  topology: Topology,
  stack: { databaseUrl: string; chromaUrl: string },
  collectorUrl: string,
): Promise<PlatformProcess> {
  const script = fileURLToPath(new URL('./tracing-platform-server.ts', import.meta.url));
  const command = [process.execPath, script, topology, collectorUrl, OTLP_PROTOCOL];
  const pinned = PINNED === undefined ? command : ['taskset', '-c', String(PINNED), ...command];
  const child = spawn(pinned[0], pinned.slice(1), {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, DATABASE_URL: stack.databaseUrl, CHROMA_URL: stack.chromaUrl },
  });
  const exited = once(child, 'exit');
  let serving = false;
  const [ready] = (await Promise.race([
    once(child, 'message'),
    exited.then(([code]) => {
      if (!serving) throw new Error(`${topology}: exited with ${code} before serving`);
    }),
  ])) as [{ url: string; token: string }];
  serving = true;
  const ask = async <T>(message: unknown): Promise<T> => {
    child.send(message as string);
    const [answer] = (await once(child, 'message')) as [T];
    return answer;
  };
  return {
    ...ready,
    switchTo: async (phase) => void (await ask({ tracing: phase === 'control' ? 'off' : phase })),
    async cpuMicros() {
      const { cpu } = await ask<{ cpu: NodeJS.CpuUsage }>('cpu');
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
  process: number;
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
  // Each topology's processes, in order: the rows of each, in PHASES order.
  const processesOf = new Map<Topology, Row[][]>(TOPOLOGIES.map((t) => [t, []]));
  // One topology at a time: platform processes of both topologies at once would want more PostgreSQL connections
  // than its default 100.
  for (const topology of TOPOLOGIES)
    for (let index = 0; index < PROCESSES; index++) {
      const platform = await platformProcess(topology, shared, collector.url);
      started.push(platform);
      const send = () => request(platform.url, platform.token);
      const group: Row[] = PHASES.map((phase) => ({
        topology,
        phase,
        process: index,
        send,
        rounds: [],
        cpu: [],
      }));
      for (const row of group) {
        await platform.switchTo(row.phase);
        await warmUp(label(row), row.send, { concurrency, seconds: warmup });
      }
      await interleavedRounds(group, ROUNDS, async (row, round) => {
        await platform.switchTo(row.phase);
        const before = await platform.cpuMicros();
        const result = await closedLoop(row.send, { concurrency, seconds: seconds / ROUNDS });
        const used = (await platform.cpuMicros()) - before;
        row.rounds.push(result);
        row.cpu.push(used / Math.max(1, result.requests));
        process.stderr.write(
          `[bench] round ${round + 1}, ${label(row)}: ${fixed(result.perSecond)} req/s, ` +
            `${fixed(used / Math.max(1, result.requests), 0)} CPU µs/req\n`,
        );
      });
      await platform.stop(); // tracing exports what it still holds
      processesOf.get(topology)!.push(group);
    }
  const received = await collector.received();

  process.stdout.write(
    `\ntracing overhead: ${QUERY}\n${concurrency} in flight; ${PROCESSES} platform processes per topology, one ` +
      `at a time, tracing switched off and on inside each; ${seconds}s per row in ${ROUNDS} interleaved rounds, ` +
      `${ROUND_ORDER}, after ${warmup}s warm-up per row; req/s, p50 and CPU µs/req (the platform process's) ` +
      `are medians over rounds, overheads ratios of those, then the median over processes ` +
      `(each process's in brackets), each traced row against off; paired = the median, over every round of every ` +
      `process, of that round's traced CPU µs/req against its off (each process's in brackets), with its 95% ` +
      `bootstrap interval (processes, then their rounds, resampled); "off again" ` +
      `is a second row with tracing off, whose difference from off is the measurement's own noise; spans batched ` +
      `over OTLP/HTTP (${OTLP_PROTOCOL}) to a ` +
      `stand-in collector in another process, parsed there after the rounds (${received}); ` +
      (PINNED === undefined
        ? 'every process on every CPU (not pinned)'
        : `the platform process alone on CPU ${PINNED}, the rest on the others`) +
      '\n\n',
  );
  const percent = (ratio: number) => `${fixed((ratio - 1) * 100, 1)}%`;
  // The median of the paired ratios, and the 95% bootstrap interval around it: a round's ratio scatters by 10-15%
  // (two processes that never switch, measured side by side in the same rounds, scatter as much), and processes
  // differ, so with the default rounds and processes the median is good to a few points either way.
  const paired = (ratios: number[], [low, high]: [number, number], each: string) =>
    `${percent(median(ratios))} (${fixed((low - 1) * 100, 1)} to ${fixed((high - 1) * 100, 1)})${each}`;
  // The goal (under 5%) judged on each traced row's interval: met when all of it lies below 5%, not met when all
  // of it lies above, otherwise the measurement cannot tell.
  const GOAL = 1.05;
  const goals: string[] = [];
  const judge = (topology: Topology, traced: 'on' | 'sampled', [low, high]: [number, number]) => {
    const verdict = high < GOAL ? 'met' : low > GOAL ? 'not met' : 'not told apart from 5% by this run';
    goals.push(`${topology}, ${TRACED[traced]}: ${verdict}`);
  };
  const lines = TOPOLOGIES.flatMap((topology) =>
    (['on', 'sampled', 'control'] as const).map((traced) => {
      const processes = processesOf.get(topology)!.map((rows) => {
        const off = rows[PHASES.indexOf('off')];
        const on = rows[PHASES.indexOf(traced)];
        const a = medianOfRounds(off.rounds);
        const b = medianOfRounds(on.rounds);
        const cpuOff = median(off.cpu);
        const cpuOn = median(on.cpu);
        // Each round's traced CPU against the same round's off: the two ran back to back, in the same conditions.
        const pairs = on.cpu.map((cpu, round) => cpu / off.cpu[round]);
        return { cpuOff, cpuOn, cpu: cpuOn / cpuOff, a, b, rate: a.perSecond / b.perSecond, pairs };
      });
      type Measured = (typeof processes)[number];
      const middle = (pick: (p: Measured) => number) => median(processes.map(pick));
      const each = (pick: (p: Measured) => number) =>
        processes.length > 1 ? ` [${processes.map((p) => percent(pick(p))).join(', ')}]` : '';
      const pairs = processes.flatMap((p) => p.pairs);
      const interval = groupedMedianInterval(processes.map((p) => p.pairs));
      if (traced !== 'control') judge(topology, traced, interval);
      const cpuOff = middle((p) => p.cpuOff);
      const cpuOn = middle((p) => p.cpuOn);
      const p50Off = middle((p) => p.a.p50);
      const p50On = middle((p) => p.b.p50);
      return [
        topology,
        TRACED[traced],
        fixed(cpuOff, 0),
        fixed(cpuOn, 0),
        percent(middle((p) => p.cpu)) + each((p) => p.cpu),
        paired(
          pairs,
          interval,
          each((p) => median(p.pairs)),
        ),
        fixed(middle((p) => p.a.perSecond)),
        fixed(middle((p) => p.b.perSecond)),
        fixed(p50Off, 2),
        fixed(p50On, 2),
        percent(middle((p) => p.rate)) + each((p) => p.rate),
      ];
    }),
  );
  const header = [
    ...['topology', 'tracing', 'CPU µs/req off', 'CPU µs/req on', 'CPU overhead', 'paired (95% interval)'],
    ...['req/s off', 'req/s on', 'p50 ms off', 'p50 ms on', 'req/s overhead'],
  ];
  process.stdout.write(table(header, lines) + '\n');
  process.stdout.write(`goal: under 5% CPU overhead, judged on the paired interval: ${goals.join('; ')}\n`);
  for (const row of [...processesOf.values()].flat(2)) {
    const { errors, firstError } = medianOfRounds(row.rounds);
    if (firstError) process.stdout.write(`${label(row)}: ${errors} errors, the first ${firstError}\n`);
  }
} finally {
  for (const platform of started) await platform.stop();
  if (collector.child.exitCode === null) collector.child.kill('SIGTERM');
  await stack.stop();
}
