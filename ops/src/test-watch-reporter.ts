// A Jest reporter for `npm test` (ops/src/test-runner.ts): it keeps, in the file named by STING_TEST_WATCH_FILE,
// which test files are running and since when, and what each finished file counted. The runner reads it to tell a
// file that hangs from a long run, to stop the run then, and to still count what finished. Without that variable
// (Jest started by hand) it does nothing.
import { renameSync, writeFileSync } from 'node:fs';

export type FileCounts = { passed: number; failed: number; skipped: number; ms: number };

export type WatchState = {
  /** test file → when it started (ms since the epoch) */
  running: Record<string, number>;
  finished: Record<string, FileCounts>;
  /** when Jest reported the whole run complete */
  completedAt?: number;
};

type TestFile = { path: string };
type FileResult = {
  numPassingTests: number;
  numFailingTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testExecError?: unknown;
  perfStats?: { runtime?: number };
};

export default class TestWatchReporter {
  #file = process.env.STING_TEST_WATCH_FILE;
  #state: WatchState = { running: {}, finished: {} };

  onTestFileStart(test: TestFile): void {
    this.#state.running[test.path] = Date.now();
    this.#write();
  }

  onTestFileResult(test: TestFile, result: FileResult): void {
    const started = this.#state.running[test.path];
    delete this.#state.running[test.path];
    this.#state.finished[test.path] = {
      passed: result.numPassingTests,
      // A file that cannot even load (syntax error, failed import) has no failed test of its own, yet it failed.
      failed: result.numFailingTests + (result.testExecError ? 1 : 0),
      skipped: result.numPendingTests + result.numTodoTests,
      ms: started === undefined ? (result.perfStats?.runtime ?? 0) : Date.now() - started,
    };
    this.#write();
  }

  onRunComplete(): void {
    this.#state.completedAt = Date.now();
    this.#write();
  }

  getLastError(): undefined {
    return undefined;
  }

  #write(): void {
    if (!this.#file) return;
    // Written whole and renamed, so the runner never reads half a file.
    const partial = `${this.#file}.partial`;
    writeFileSync(partial, JSON.stringify(this.#state));
    renameSync(partial, this.#file);
  }
}
