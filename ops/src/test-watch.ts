// What `npm test` (test-runner.ts) makes of the state test-watch-reporter.ts keeps: whether a run hangs, and the
// counts of the files that finished. Jest's per-test timeout cannot catch every hang: a worker stuck in synchronous
// code, a global setup that never returns, a Jest that does not exit after its last file. Without a watch such a
// run would go on until whoever started it gives up, saying nothing of where it stopped.
import { readFileSync } from 'node:fs';
import type { FileCounts, WatchState } from './test-watch-reporter.ts';

export type { FileCounts, WatchState };

export type WatchLimits = {
  /** a file running longer than this has hung */
  fileMs: number;
  /** a run that starts no file within this (global setup: the test services, the playground build) has hung */
  startMs: number;
  /** a Jest that has not exited this long after reporting its run complete has hung */
  exitMs: number;
  /** a file running longer than this is named once, as slow, while the run goes on */
  slowMs: number;
};

export type Verdict =
  | { kind: 'running' }
  | { kind: 'file-hung'; files: string[] }
  | { kind: 'start-hung' }
  | { kind: 'exit-hung' };

export function readWatchState(file: string): WatchState | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as WatchState;
  } catch {
    return undefined; // not written yet
  }
}

export function judgeRun(
  state: WatchState | undefined,
  startedAt: number,
  now: number,
  limits: WatchLimits,
): Verdict {
  if (state?.completedAt !== undefined)
    return now - state.completedAt > limits.exitMs ? { kind: 'exit-hung' } : { kind: 'running' };
  const hung = filesRunningLongerThan(state, now, limits.fileMs);
  if (hung.length > 0) return { kind: 'file-hung', files: hung };
  const started =
    state !== undefined && Object.keys(state.running).length + Object.keys(state.finished).length > 0;
  if (!started && now - startedAt > limits.startMs) return { kind: 'start-hung' };
  return { kind: 'running' };
}

export function filesRunningLongerThan(state: WatchState | undefined, now: number, ms: number): string[] {
  if (!state) return [];
  return Object.entries(state.running)
    .filter(([, since]) => now - since > ms)
    .map(([file]) => file);
}

export function totals(finished: Iterable<FileCounts>): { passed: number; failed: number; skipped: number } {
  const sum = { passed: 0, failed: 0, skipped: 0 };
  for (const counts of finished) {
    sum.passed += counts.passed;
    sum.failed += counts.failed;
    sum.skipped += counts.skipped;
  }
  return sum;
}

/** The files of `all` that no attempt finished, in their order. */
export function unfinished(all: readonly string[], finished: ReadonlySet<string>): string[] {
  return all.filter((file) => !finished.has(file));
}

/** The `count` slowest finished files, slowest first. */
export function slowest(finished: Record<string, FileCounts>, count: number): [file: string, ms: number][] {
  return Object.entries(finished)
    .map(([file, counts]): [string, number] => [file, counts.ms])
    .sort((a, b) => b[1] - a[1])
    .slice(0, count);
}

export function minutesFromEnv(name: string, fallback: number, env = process.env): number {
  const value = Number(env[name]);
  return (Number.isFinite(value) && value > 0 ? value : fallback) * 60_000;
}
