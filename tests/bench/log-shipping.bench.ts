// Logging throughput with Loki shipping on (to the stand-in Loki, over HTTP) against off, as ratios in one run.
// Both write every record through the Pollen Filter to /dev/null; "on" also batches each record and pushes it to
// a stand-in Loki in another process, and its time includes waiting for the last push, so the ratio is the whole
// cost of shipping to the logging process. The pushes themselves run on the process's Loki push thread: CPU time
// (the whole process's) counts them, logging (wall) is what the thread that logs sees of them, and "CPU, logging
// thread" is that thread's own CPU time (process.threadCpuUsage). The push thread is started once and kept for the
// whole run, as a platform process keeps it while it ships logs; each round starts and stops only its LogShipping.
// Three rows take turns in every round (measure.ts's roundOrder: every row takes every place): off, on, and off
// again ("control"), whose difference from off is the measurement's own noise (an A/A comparison): an overhead
// smaller than it is not told apart from none. Each row reports the median of its rounds, and "paired" is the
// median over rounds of on against the same round's off. First as fast as possible (a flood), then paced at a
// steady rate (BENCH_LOG_RATE records/s, default 20000), where the CPU time says what shipping costs a busy server.
// Goal: under 5% overhead.
// Run: node tests/bench/log-shipping.bench.ts [records per round]  (BENCH_ROUNDS flood rounds, default 8, made
// even; half as many paced ones, made even)
import { LogTap, lineDestination, createLogger, startLogShipping, type LogShipping } from '@sting/kit';
import { lokiPushThread } from '@sting/kit/logging/loki-push-thread.ts';
import { ROUND_ORDER, benchRounds, evenUp, interleavedRounds, median } from './measure.ts';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

const RECORDS = Number(process.argv[2] ?? 100_000);
/** Flood rounds, even (see roundOrder); half as many paced ones (also made even). */
const ROUNDS = benchRounds(8);
/** The paced rounds' logging rate. */
const PACED = Number(process.env.BENCH_LOG_RATE ?? 20_000);
/** Records between yields to the event loop, as a busy server's requests interleave with their I/O. */
const CHUNK = 50;

/**
 * The stand-in Loki in a process of its own, as Loki would be: only the shipping's own work is counted here. It
 * answers each push once its body has arrived, without decoding or keeping it (a benchmark only needs it to answer,
 * and its decoding, in JavaScript, would compete for the machine's cores with what is measured; the tests check
 * what is pushed).
 */
async function startLokiProcess(): Promise<{ url: string; close(): void }> {
  const standIn = new URL('../standins/loki.ts', import.meta.url).href;
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const l = await (await import(${JSON.stringify(standIn)})).startStandInLoki({ readPushes: false });
       process.stdout.write(l.url + '\\n');`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return { url: line.trim(), close: () => child.kill() };
}

const loki = await startLokiProcess();
// The process's Loki push thread lives as long as the process ships logs, as in a running platform: held here for
// the whole run, so no round pays for starting a thread (and compiling its code afresh) that a server starts once.
const releasePushThread = lokiPushThread.use();

interface Round {
  /** Logging every record, as the application sees it. */
  loopMs: number;
  /** Until the last record was delivered (on: pushed to Loki). */
  ms: number;
  /** CPU time of this process (user + system): what shipping costs it, however busy the machine is. */
  cpuMs: number;
  /** CPU time of the thread that logs (the rest of cpuMs is the Loki push thread's, pino's and the runtime's). */
  loggingCpuMs: number;
  dropped: number;
  sent: number;
}

/** `paced`: records per second to log at (a steady server), else as fast as possible (a flood). */
async function round(ship: boolean, paced = 0): Promise<Round> {
  const tap = new LogTap();
  const destination = lineDestination('/dev/null');
  const logger = createLogger({ name: 'gateway', level: 'info', destination, tap });
  let shipping: LogShipping | undefined;
  if (ship) {
    shipping = startLogShipping({
      // Room for a whole round, so both sides do the same work (the default bound drops under a flood).
      loki: { url: loki.url, maxBufferRecords: RECORDS },
      topology: 'embedded',
      service: 'gateway',
      storedInProcess: true,
      tap,
    });
  }
  const began = performance.now();
  const cpu = process.cpuUsage();
  const loggingCpu = process.threadCpuUsage();
  for (let i = 0; i < RECORDS; i++) {
    logger.info(
      { requestId: `req-${i}`, operation: 'ListHoneyJars', durationMs: i % 97, viewer: 'bee@example.com' },
      'operation served',
    );
    if (i % CHUNK === CHUNK - 1) {
      // Paced: wait until the schedule says the next chunk is due; a flood only yields to the event loop.
      const due = paced ? began + ((i + 1) / paced) * 1000 - performance.now() : 0;
      await new Promise((resolve) => (due > 0 ? setTimeout(resolve, due) : setImmediate(resolve)));
    }
  }
  const loopMs = performance.now() - began;
  await shipping?.flush();
  const ms = performance.now() - began;
  const used = process.cpuUsage(cpu);
  const usedLogging = process.threadCpuUsage(loggingCpu);
  const stats = shipping?.stats();
  await shipping?.stop();
  await destination.close();
  return {
    loopMs,
    ms,
    cpuMs: (used.user + used.system) / 1000,
    loggingCpuMs: (usedLogging.user + usedLogging.system) / 1000,
    dropped: stats?.dropped ?? 0,
    sent: stats?.sent ?? 0,
  };
}

// Warm-up: both paths optimised before timing.
await round(false);
await round(true);

const ROWS = ['off', 'on', 'control'] as const;
type Row = (typeof ROWS)[number];
type Rounds = Record<Row, Round[]>;
/** Every row's rounds, in round order (index r of each row is round r). */
async function rounds(count: number, paced = 0): Promise<Rounds> {
  const out: Rounds = { off: [], on: [], control: [] };
  await interleavedRounds(ROWS, count, async (row, r) => {
    out[row][r] = await round(row === 'on', paced);
  });
  return out;
}
const flood = await rounds(ROUNDS);
const paced = await rounds(evenUp(ROUNDS / 2), PACED);
await releasePushThread();
loki.close();

type Key = 'loopMs' | 'ms' | 'cpuMs' | 'loggingCpuMs';
const m = (rounds: Round[], key: Key) => median(rounds.map((r) => r[key]));
const shipped = [...flood.on, ...paced.on];
const sent = shipped.reduce((n, r) => n + r.sent, 0);
const dropped = shipped.reduce((n, r) => n + r.dropped, 0);
const perSecond = (ms: number) => Math.round((RECORDS / ms) * 1000).toLocaleString('en');
const percent = (ratio: number) => `${((ratio - 1) * 100).toFixed(1)}%`;
const line = (label: string, key: Key, rows: Rounds) => {
  const off = m(rows.off, key);
  const on = m(rows.on, key);
  const paired = median(rows.on.map((r, i) => r[key] / rows.off[i][key]));
  return (
    `${label} off ${off.toFixed(0)} ms (${perSecond(off)} records/s), on ${on.toFixed(0)} ms ` +
    `(${perSecond(on)} records/s): overhead ${percent(on / off)}, paired ${percent(paired)}; ` +
    `noise (control against off) ${percent(m(rows.control, key) / off)}`
  );
};
process.stdout.write(
  [
    `records per round: ${RECORDS}, rounds: ${ROUNDS} flood and ${paced.on.length} paced, ${ROUND_ORDER} ` +
      `(medians); shipped ${sent}, dropped ${dropped}`,
    'as fast as possible (a flood):',
    line('  logging (wall):        ', 'loopMs', flood),
    line('  until delivered (wall):', 'ms', flood),
    line('  CPU time:              ', 'cpuMs', flood),
    line('  CPU, logging thread:   ', 'loggingCpuMs', flood),
    `paced at ${PACED.toLocaleString('en')} records/s (a busy server), CPU time of the process:`,
    line('  CPU time:              ', 'cpuMs', paced),
    line('  CPU, logging thread:   ', 'loggingCpuMs', paced),
    'goal: under 5% overhead (CPU time is the steadier figure on a shared machine)',
    '',
  ].join('\n'),
);
