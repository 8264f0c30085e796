// Timing for the benches: a closed loop of N requests in flight for a fixed time (bounded in count too),
// percentiles, and the small fixed-width tables the benches print.

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

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
