// Timing for the benches: a closed loop of N requests in flight for a fixed time (bounded in count too),
// percentiles, warm-up and interleaved rounds in alternating order summarized by medians, waiting for a quiet
// machine, and the small fixed-width tables the benches print.
import { readFileSync } from 'node:fs';

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  firstError?: string;
  /** Sorted, for merging rounds. */
  latencies: number[];
}

/** Whole seconds of measurement per phase; BENCH_SECONDS overrides. */
export function benchSeconds(fallback: number): number {
  const value = Number(process.env.BENCH_SECONDS);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Seconds of untimed load per row before the timed rounds; BENCH_WARMUP overrides. */
export function warmupSeconds(fallback: number): number {
  const value = Number(process.env.BENCH_WARMUP);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}

/** Timed rounds (BENCH_ROUNDS overrides), rounded up to an even number: see roundOrder. */
export function benchRounds(fallback: number): number {
  return evenUp(Math.max(1, Number(process.env.BENCH_ROUNDS) || fallback));
}

/** The least even whole number not below `n`: rounds come in forward-and-backward pairs (roundOrder). */
export function evenUp(n: number): number {
  return Math.ceil(n / 2) * 2;
}

/** How roundOrder orders the rows, for a benchmark's printed description of its run. */
export const ROUND_ORDER = 'order forward and backward, rotating every two rounds';

/**
 * The rows in the order round `round` runs them. Throughput drifts through a run (the JIT, PostgreSQL's caches and
 * connection pools warming, other load on the machine), so a fixed order favours whichever row runs last; and a
 * row's place in its round matters too (the row after a switch, the row at the round's end), so no row may keep
 * one place. Each pair of rounds runs one order forward, then backward: a row's two places add up alike for every
 * row, so a steady drift moves every row's median alike. The next pair starts one row later (the rows rotate), so
 * over rounds every row takes every place.
 */
export function roundOrder<T>(rows: readonly T[], round: number): T[] {
  const shift = Math.floor(round / 2) % Math.max(1, rows.length);
  const rotated = [...rows.slice(shift), ...rows.slice(0, shift)];
  return round % 2 === 0 ? rotated : rotated.reverse();
}

/** Runs `measure` for every row in `rounds` rounds, each in roundOrder. */
export async function interleavedRounds<T>(
  rows: readonly T[],
  rounds: number,
  measure: (row: T, round: number) => Promise<void>,
): Promise<void> {
  for (let round = 0; round < rounds; round++)
    for (const row of roundOrder(rows, round)) await measure(row, round);
}

/**
 * Untimed load on one row for `seconds`, in 1 s slices whose requests/s go to stderr, so a run shows whether the
 * row had levelled off before the timed rounds began.
 */
export async function warmUp(
  label: string,
  request: () => Promise<void>,
  options: { concurrency: number; seconds: number },
): Promise<void> {
  const rates: string[] = [];
  for (let left = options.seconds; left > 0; left -= 1) {
    const slice = await closedLoop(request, { concurrency: options.concurrency, seconds: Math.min(1, left) });
    rates.push(fixed(slice.perSecond, 0));
  }
  if (rates.length > 0) process.stderr.write(`[bench] warm-up ${label}: ${rates.join(' → ')} req/s\n`);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * A percentile bootstrap interval of the median of values measured in groups (the rounds of each of several
 * processes): resampled `resamples` times (from a fixed seed, so a run's figures can be reproduced from its values)
 * in two stages, the groups with replacement, then each drawn group's values with replacement, and the middle
 * `confidence` share of the medians of all drawn. It says how far the median of values this scattered could be from
 * the one measured: a benchmark's rounds on a shared 2-core machine scatter by 10-15% each, and where groups differ
 * from one another (two platform processes with the same settings do), values pooled as if independent make an
 * interval too narrow: the next run's processes differ again.
 */
export function groupedMedianInterval(
  groups: readonly (readonly number[])[],
  { resamples = 2000, confidence = 0.95, seed = 1 } = {},
): [low: number, high: number] {
  const filled = groups.filter((group) => group.length > 0);
  if (filled.length === 0) return [NaN, NaN];
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const medians: number[] = [];
  const sample: number[] = [];
  for (let r = 0; r < resamples; r++) {
    sample.length = 0;
    for (let g = 0; g < filled.length; g++) {
      const group = filled.length === 1 ? filled[0] : pick(filled);
      for (let i = 0; i < group.length; i++) sample.push(pick(group));
    }
    medians.push(median(sample));
  }
  medians.sort((a, b) => a - b);
  const tail = ((1 - confidence) / 2) * 100;
  return [percentile(medians, tail), percentile(medians, 100 - tail)];
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Runs `request` with `concurrency` in flight until `seconds` pass or `maxRequests` have started. */
export async function closedLoop(
  request: () => Promise<void>,
  options: { concurrency: number; seconds: number; maxRequests?: number },
): Promise<LoadResult> {
  const maxRequests = options.maxRequests ?? 1_000_000;
  const latencies: number[] = [];
  let started = 0;
  let errors = 0;
  let firstError: string | undefined;
  const began = performance.now();
  const deadline = began + options.seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline && started < maxRequests) {
      started++;
      const t0 = performance.now();
      try {
        await request();
        latencies.push(performance.now() - t0);
      } catch (err) {
        errors++;
        firstError ??= (err as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - began) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    firstError,
    latencies,
  };
}

/** Several rounds of the same row as one result (rounds interleave rows so drift hits every row alike). */
export function merge(results: readonly LoadResult[]): LoadResult {
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = results.reduce((sum, r) => sum + r.seconds, 0);
  return {
    requests: latencies.length,
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    firstError: results.find((r) => r.firstError)?.firstError,
    latencies,
  };
}

/**
 * Several rounds of the same row as one result: requests, errors and seconds summed, while requests/s, p50 and p99
 * are the medians of the rounds' own figures, so one round that met a busier machine does not move the row.
 */
export function medianOfRounds(results: readonly LoadResult[]): LoadResult {
  const merged = merge(results);
  return {
    ...merged,
    perSecond: median(results.map((r) => r.perSecond)),
    p50: median(results.map((r) => r.p50)),
    p99: median(results.map((r) => r.p99)),
  };
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

/** The machine's CPU time so far (Linux /proc/stat, in clock ticks): busy and all. */
function cpuTicks(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8')
    .split('\n', 1)[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const total = fields.reduce((sum, ticks) => sum + ticks, 0);
  // idle and iowait: the fourth and fifth fields
  return { busy: total - fields[3] - fields[4], total };
}

/**
 * Waits until the whole machine is quiet (its CPUs busy less than `busyBelow` of the time over a second) or
 * `maxSeconds` have passed: after bulk writes, the servers' own work on them (Chroma indexing and persisting,
 * PostgreSQL's checkpoints and autovacuum, the kernel writing dirty pages back) would otherwise land in what is
 * timed next. Returns the seconds waited and the last second's busy share.
 */
export async function untilQuiet(
  options: { busyBelow?: number; maxSeconds?: number } = {},
): Promise<{ seconds: number; busy: number }> {
  const { busyBelow = 0.1, maxSeconds = 90 } = options;
  const began = performance.now();
  let busy = 1;
  while (performance.now() - began < maxSeconds * 1000) {
    const before = cpuTicks();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = cpuTicks();
    busy = (after.busy - before.busy) / Math.max(1, after.total - before.total);
    if (busy < busyBelow) break;
  }
  return { seconds: (performance.now() - began) / 1000, busy };
}

/** Numbers in [0, 1) from a seed (linear congruential), so that a benchmark builds the same data every run. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** µs per call of `run` (in process, synchronous), over enough calls to take about 100 ms. */
export function microseconds(run: () => void): number {
  let calls = 1;
  for (;;) {
    const started = performance.now();
    for (let i = 0; i < calls; i++) run();
    const elapsed = performance.now() - started;
    if (elapsed > 100) return (elapsed * 1000) / calls;
    calls *= 4;
  }
}

/**
 * The median µs per call of `a` and of `b` (in process, synchronous) over `rounds` rounds, each warmed up first, the
 * two taking turns to go first.
 */
export function pairedMicroseconds(a: () => void, b: () => void, rounds: number): [number, number] {
  microseconds(a);
  microseconds(b);
  const times: [number[], number[]] = [[], []];
  for (let round = 0; round < rounds; round++) {
    if (round % 2) {
      times[1].push(microseconds(b));
      times[0].push(microseconds(a));
    } else {
      times[0].push(microseconds(a));
      times[1].push(microseconds(b));
    }
  }
  return [median(times[0]), median(times[1])];
}
