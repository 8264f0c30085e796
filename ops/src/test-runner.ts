// `npm test`: runs Jest over every workspace (extra arguments pass through), shows Jest's own output, then ends
// with one line "N passed, N failed[, N skipped]" counted from what each test file reported; exits non-zero on any
// failure.
//
// It watches the run through test-watch-reporter.ts (test-watch.ts says why). A test file still running after
// STING_TEST_FILE_MINUTES (default 15; the slowest takes under a minute), no file started STING_TEST_START_MINUTES
// after Jest did (default 10), or Jest still there STING_TEST_EXIT_MINUTES after its last file (default 2): the run
// has hung. The runner then stops Jest, names what hung, and runs the files that had not finished once more in a
// fresh Jest. The run passes only if every file ends passing; a hang is named in the last line even when the second
// attempt passes. A file running over 5 minutes is named while the run goes on. Jest's watch mode is left alone.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  filesRunningLongerThan,
  judgeRun,
  minutesFromEnv,
  readWatchState,
  slowest,
  totals,
  unfinished,
  type FileCounts,
  type Verdict,
  type WatchLimits,
} from './test-watch.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const jestArgs = [
  '--experimental-vm-modules',
  '--no-warnings=ExperimentalWarning',
  'node_modules/jest/bin/jest.js',
];
const limits: WatchLimits = {
  fileMs: minutesFromEnv('STING_TEST_FILE_MINUTES', 15),
  startMs: minutesFromEnv('STING_TEST_START_MINUTES', 10),
  exitMs: minutesFromEnv('STING_TEST_EXIT_MINUTES', 2),
  slowMs: minutesFromEnv('STING_TEST_SLOW_MINUTES', 5),
};
const say = (line: string) => process.stderr.write(`[tests] ${line}\n`);
const name = (file: string) => relative(root, file);
const minutes = (ms: number) => `${Math.round(ms / 6000) / 10} min`;

let stopping = false;
let current: ReturnType<typeof spawn> | undefined;

/** Signals reach Jest's whole process group (its workers too): it runs detached so that a hang can be stopped. */
function signalJest(signal: NodeJS.Signals): void {
  if (current?.pid === undefined || current.exitCode !== null) return;
  try {
    process.kill(-current.pid, signal);
  } catch {
    // already gone
  }
}
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    stopping = true;
    signalJest(signal);
  });

type Attempt = { code: number; verdict: Verdict; finished: Record<string, FileCounts> };

async function attempt(args: string[], watchFile: string): Promise<Attempt> {
  const startedAt = Date.now();
  const jest = spawn(process.execPath, [...jestArgs, ...args], {
    cwd: root,
    stdio: 'inherit',
    detached: true,
    env: { ...process.env, STING_TEST_WATCH_FILE: watchFile },
  });
  current = jest;
  const named = new Set<string>();
  let verdict: Verdict = { kind: 'running' };
  const exited = new Promise<number>((resolve) => {
    jest.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    jest.once('error', () => resolve(1));
  });
  const watch = setInterval(() => {
    const now = Date.now();
    const state = readWatchState(watchFile);
    for (const file of filesRunningLongerThan(state, now, limits.slowMs)) {
      if (named.has(file)) continue;
      named.add(file);
      say(`still running after ${minutes(limits.slowMs)}: ${name(file)}`);
    }
    if (verdict.kind !== 'running') return;
    verdict = judgeRun(state, startedAt, now, limits);
    if (verdict.kind === 'running') return;
    say(describe(verdict));
    signalJest('SIGTERM');
    setTimeout(() => signalJest('SIGKILL'), 10_000).unref();
  }, 1000);
  const code = await exited;
  clearInterval(watch);
  current = undefined;
  return { code, verdict, finished: readWatchState(watchFile)?.finished ?? {} };
}

function describe(verdict: Verdict): string {
  switch (verdict.kind) {
    case 'file-hung':
      return `stopping Jest: ${verdict.files.map(name).join(', ')} still running after ${minutes(limits.fileMs)}`;
    case 'start-hung':
      return `stopping Jest: no test file started within ${minutes(limits.startMs)}`;
    case 'exit-hung':
      return `stopping Jest: it had not exited ${minutes(limits.exitMs)} after its last test file`;
    case 'running':
      return 'running';
  }
}

/** The test files these arguments select, as Jest lists them (within two minutes). */
function listTests(args: string[]): string[] | undefined {
  const listed = spawnSync(process.execPath, [...jestArgs, ...args, '--listTests', '--json'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    timeout: 120_000,
  });
  try {
    return JSON.parse(listed.stdout) as string[];
  } catch {
    return undefined;
  }
}

const given = process.argv.slice(2);
if (given.some((arg) => /^--watch(All)?(=|$)/.test(arg))) {
  // Jest's watch mode reads the terminal and never ends by design: it runs as it is, in the terminal's own group.
  const jest = spawn(process.execPath, [...jestArgs, ...given], { cwd: root, stdio: 'inherit' });
  jest.once('exit', (exitCode) => process.exit(exitCode ?? 1));
  await new Promise(() => undefined);
}
const watchDir = mkdtempSync(join(tmpdir(), 'sting-test-watch-'));
const finished: Record<string, FileCounts> = {};
const hangs: string[] = [];
let code: number;
let args = given;
for (let round = 1; ; round++) {
  const result = await attempt(args, join(watchDir, `attempt-${round}.json`));
  Object.assign(finished, result.finished);
  const { verdict } = result;
  if (verdict.kind === 'running') {
    code = result.code; // Jest ended on its own
    break;
  }
  if (verdict.kind === 'exit-hung') {
    // Every file had reported before Jest stuck: the counts are whole, and they decide.
    hangs.push('Jest after its last file');
    code = 0;
    break;
  }
  hangs.push(verdict.kind === 'file-hung' ? verdict.files.map(name).join(', ') : 'global setup');
  const all = stopping || round > 1 ? undefined : listTests(given);
  if (!all) {
    code = 1;
    break;
  }
  const left = unfinished(all, new Set(Object.keys(finished)));
  say(`running the ${left.length} test files that had not finished once more`);
  args = verdict.kind === 'start-hung' ? given : [...given, '--runTestsByPath', ...left];
}
rmSync(watchDir, { recursive: true, force: true });

const sum = totals(Object.values(finished));
if (Object.keys(finished).length === 0 && code !== 0)
  say(`Jest ran no test file (exit code ${code}); see its output above`);
const slow = slowest(finished, 5);
if (slow.length > 0)
  say(`slowest files: ${slow.map(([file, ms]) => `${name(file)} ${Math.round(ms / 1000)} s`).join(', ')}`);
const notes = [
  sum.skipped > 0 ? `, ${sum.skipped} skipped` : '',
  hangs.length > 0 ? ` (hung: ${hangs.join('; ')})` : '',
];
process.stdout.write(`${sum.passed} passed, ${sum.failed} failed${notes.join('')}\n`);
process.exit(code !== 0 || sum.failed > 0 ? code || 1 : 0);
