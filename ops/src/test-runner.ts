// `npm test`: runs Jest over every workspace (extra arguments pass through), shows Jest's own output, then ends
// with one line "N passed, N failed[, N skipped]" counted from Jest's JSON results; exits non-zero on any failure.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type JestResults = {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numRuntimeErrorTestSuites: number;
  success: boolean;
};

const root = fileURLToPath(new URL('../../', import.meta.url));
const resultsFile = `${root}.jest-results.json`;

rmSync(resultsFile, { force: true });
const jest = spawn(
  process.execPath,
  [
    ...['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', 'node_modules/jest/bin/jest.js'],
    ...['--json', `--outputFile=${resultsFile}`, ...process.argv.slice(2)],
  ],
  { cwd: root, stdio: 'inherit' },
);
// Ctrl-C reaches Jest through the terminal already; a SIGTERM to us alone is passed on so teardown runs.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => jest.kill(signal));

const code = await new Promise<number>((resolve) => {
  jest.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : 1)));
  jest.once('error', () => resolve(1));
});

let results: JestResults | undefined;
try {
  results = JSON.parse(readFileSync(resultsFile, 'utf8')) as JestResults;
} catch {
  process.stdout.write(`Jest wrote no results (exit code ${code}); see its output above\n`);
}
const passed = results?.numPassedTests ?? 0;
// A suite that cannot even load (syntax error, failed import) has no failed test of its own, yet it failed.
const failed = (results?.numFailedTests ?? 0) + (results?.numRuntimeErrorTestSuites ?? 0);
const skipped = (results?.numPendingTests ?? 0) + (results?.numTodoTests ?? 0);
process.stdout.write(`${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`);
process.exit(code !== 0 || failed > 0 || !results ? code || 1 : 0);
