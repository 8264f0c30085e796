// What tracing costs a request: the cross-subgraph list of gateway-overhead.bench.ts through /graphql (embedded and
// distributed) with observability.tracing off (nothing of the SDK loaded) against on, every span exported over
// OTLP/HTTP to a stand-in collector in another process, sampling every request. Off runs first: a tracer provider,
// once registered, stays cached inside Apollo's gateway tracer, so "off after on" would not be the off a platform
// without tracing runs.
// node tests/bench/tracing-overhead.bench.ts   (BENCH_SECONDS per row and phase, BENCH_CONCURRENCY in flight)
import type { RunningPlatform } from '@sting/gateway';
import { startTracing, type Tracing } from '@sting/kit/tracing/index.ts';
import {
  graphql,
  login,
  startBenchPlatform,
  startBenchStack,
  startSubgraphServices,
  type SubgraphServices,
} from './bench-platform.ts';
import { benchSeconds, closedLoop, fixed, merge, table, type LoadResult } from './measure.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

const QUERY = '{ honeyJars(first: 20) { nodes { name owner { displayName } } } }';
const seconds = benchSeconds(6);
const ROUNDS = 3;
const concurrency = Number(process.env.BENCH_CONCURRENCY) || 16;

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

const stack = await startBenchStack();
const collector = await collectorProcess();
let services: SubgraphServices | undefined;
let tracing: Tracing | undefined;
const platforms: RunningPlatform[] = [];
try {
  services = await startSubgraphServices(stack);
  const distributed = await startBenchPlatform(stack, 'distributed', { services });
  const embedded = await startBenchPlatform(stack, 'embedded');
  platforms.push(distributed, embedded);
  const token = await login(embedded.url);
  for (let i = 0; i < 20; i++)
    await graphql(
      embedded.url,
      'mutation ($n: String!) { createHoneyJar(input: { name: $n }) { id } }',
      { n: `Jar ${i}` },
      token,
    );
  const targets = [
    { name: 'embedded', url: embedded.url },
    { name: 'distributed', url: distributed.url },
  ];

  // CPU per request (this process runs gateway, subgraphs, collector and client alike) is the steadier figure on
  // a shared machine, where other processes' load moves wall-clock throughput from round to round.
  const cpu = new Map<string, { micros: number; requests: number }>();
  const measure = async (phase: string) => {
    const rows = new Map<string, LoadResult[]>();
    for (const { url } of targets) await closedLoop(() => request(url, token), { concurrency, seconds: 1 });
    for (let round = 0; round < ROUNDS; round++)
      for (const { name, url } of targets) {
        const before = process.cpuUsage();
        const result = await closedLoop(() => request(url, token), {
          concurrency,
          seconds: seconds / ROUNDS,
        });
        const used = process.cpuUsage(before);
        const sum = cpu.get(`${name} ${phase}`) ?? { micros: 0, requests: 0 };
        sum.micros += used.user + used.system;
        sum.requests += result.requests;
        cpu.set(`${name} ${phase}`, sum);
        rows.set(name, [...(rows.get(name) ?? []), result]);
        process.stderr.write(`[bench] ${name}, tracing ${phase}: ${fixed(result.perSecond)} req/s\n`);
      }
    return new Map([...rows].map(([name, results]) => [name, merge(results)]));
  };

  const off = await measure('off');
  tracing = await startTracing({
    enabled: true,
    otlpUrl: collector.url,
    serviceName: 'sting-bench',
    sampleRatio: 1,
  });
  const on = await measure('on');
  await tracing.flush();
  const received = await collector.received();

  process.stdout.write(
    `\ntracing overhead: ${QUERY}\n${concurrency} in flight; ${seconds}s per row and phase in ${ROUNDS} interleaved rounds ` +
      `after 1s warm-up; on = every request sampled, spans batched over OTLP/HTTP (JSON) to a stand-in collector in ` +
      `another process (${received})\n\n`,
  );
  const lines = targets.map(({ name }) => {
    const a = off.get(name)!;
    const b = on.get(name)!;
    const cpuOf = (phase: string) => {
      const sum = cpu.get(`${name} ${phase}`)!;
      return sum.micros / Math.max(1, sum.requests);
    };
    return [
      name,
      fixed(cpuOf('off'), 0),
      fixed(cpuOf('on'), 0),
      `${fixed((cpuOf('on') / cpuOf('off') - 1) * 100, 1)}%`,
      fixed(a.perSecond),
      fixed(b.perSecond),
      fixed(a.p50, 2),
      fixed(b.p50, 2),
      `${fixed((a.perSecond / b.perSecond - 1) * 100, 1)}%`,
    ];
  });
  const header = [
    ...['topology', 'CPU µs/req off', 'CPU µs/req on', 'CPU overhead'],
    ...['req/s off', 'req/s on', 'p50 ms off', 'p50 ms on', 'req/s overhead'],
  ];
  process.stdout.write(table(header, lines) + '\n');
  for (const [phase, results] of [
    ['off', off],
    ['on', on],
  ] as const)
    for (const [name, result] of results)
      if (result.firstError)
        process.stdout.write(`${name}, tracing ${phase}: first error ${result.firstError}\n`);
} finally {
  for (const platform of platforms) await platform.stop();
  await tracing?.stop();
  await services?.stop();
  if (collector.child.exitCode === null) collector.child.kill('SIGTERM');
  await stack.stop();
}
