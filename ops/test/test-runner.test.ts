// `npm test` watches its run: a test file stuck in synchronous code is stopped, named, and run once more in a fresh
// Jest with the files that had not finished; a Jest that will not exit after its last file is stopped and its counts
// kept. The runner runs for real here, on a small Jest project of its own (fixtures/test-watch) with limits of
// seconds instead of minutes.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from '@jest/globals';
import {
  filesRunningLongerThan,
  judgeRun,
  minutesFromEnv,
  slowest,
  totals,
  unfinished,
} from '../src/test-watch.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const limits = { fileMs: 60_000, startMs: 30_000, exitMs: 10_000, slowMs: 20_000 };
const counts = (passed: number, failed = 0, skipped = 0, ms = 1) => ({ passed, failed, skipped, ms });

describe('judging a run from what the reporter kept', () => {
  it('lets a run go on while its files run within the limit', () => {
    const state = { running: { '/a.test.ts': 1_000 }, finished: { '/b.test.ts': counts(3) } };
    expect(judgeRun(state, 0, 60_000, limits)).toEqual({ kind: 'running' });
  });

  it('names each file running past the limit', () => {
    const state = { running: { '/a.test.ts': 1_000, '/b.test.ts': 40_000, '/c.test.ts': 0 }, finished: {} };
    expect(judgeRun(state, 0, 61_500, limits)).toEqual({
      kind: 'file-hung',
      files: ['/a.test.ts', '/c.test.ts'],
    });
    expect(filesRunningLongerThan(state, 61_500, limits.slowMs)).toEqual([
      '/a.test.ts',
      '/b.test.ts',
      '/c.test.ts',
    ]);
  });

  it('gives global setup its own limit, counted from the start, before any file has started', () => {
    expect(judgeRun(undefined, 0, 29_000, limits)).toEqual({ kind: 'running' });
    expect(judgeRun(undefined, 0, 31_000, limits)).toEqual({ kind: 'start-hung' });
    expect(judgeRun({ running: {}, finished: {} }, 0, 31_000, limits)).toEqual({ kind: 'start-hung' });
    expect(judgeRun({ running: { '/a.test.ts': 30_500 }, finished: {} }, 0, 31_000, limits)).toEqual({
      kind: 'running',
    });
  });

  it('waits for Jest to exit after its last file for the exit limit only', () => {
    const state = { running: {}, finished: { '/a.test.ts': counts(1) }, completedAt: 100_000 };
    expect(judgeRun(state, 0, 105_000, limits)).toEqual({ kind: 'running' });
    expect(judgeRun(state, 0, 111_000, limits)).toEqual({ kind: 'exit-hung' });
  });

  it('sums the counts, lists what is left in order, and the slowest first', () => {
    const finished = { '/a': counts(2, 1, 0, 500), '/b': counts(5, 0, 2, 9_000), '/c': counts(1, 0, 0, 40) };
    expect(totals(Object.values(finished))).toEqual({ passed: 8, failed: 1, skipped: 2 });
    expect(unfinished(['/a', '/x', '/b', '/y'], new Set(Object.keys(finished)))).toEqual(['/x', '/y']);
    expect(slowest(finished, 2)).toEqual([
      ['/b', 9_000],
      ['/a', 500],
    ]);
  });

  it('reads limits in minutes from the environment, falling back on anything but a positive number', () => {
    expect(minutesFromEnv('X', 15, { X: '0.5' })).toBe(30_000);
    for (const value of [undefined, '', '0', '-2', 'soon'])
      expect(minutesFromEnv('X', 15, { X: value })).toBe(15 * 60_000);
  });
});

describe('npm test on a run that hangs', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  /**
   * The runner on the fixture project in `mode`, with the limits given in minutes (the others at their defaults,
   * which no fixture comes near, so a slow machine cannot trip a limit a test is not about).
   */
  function runner(
    mode: string,
    limits: Record<string, string>,
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    dir = mkdtempSync(join(tmpdir(), 'sting-runner-'));
    const child = spawn(
      process.execPath,
      // In band, as on two cores: a timer left running then keeps Jest itself from exiting.
      ['ops/src/test-runner.ts', '--config', 'ops/test/fixtures/test-watch/jest.config.mjs', '--runInBand'],
      {
        cwd: root,
        env: {
          // Limits this run itself was given do not reach the runner under test.
          ...Object.fromEntries(
            Object.entries(process.env).filter(([key]) => !key.startsWith('STING_TEST_')),
          ),
          STING_FIXTURE_MODE: mode,
          STING_FIXTURE_DIR: dir,
          ...limits,
        },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  }

  const hanging = 'ops/test/fixtures/test-watch/hangs.fixture.mjs';

  it('stops a file stuck in synchronous code, names it, and passes when the files left pass on a second run', async () => {
    // 3 s for a file; named as slow after 1.2 s
    const { code, stdout, stderr } = await runner('hang-once', {
      STING_TEST_FILE_MINUTES: '0.05',
      STING_TEST_SLOW_MINUTES: '0.02',
    });
    expect(stderr).toContain(`[tests] still running after`);
    expect(stderr).toContain(`[tests] stopping Jest: ${hanging} still running after`);
    expect(stderr).toMatch(/\[tests\] running the [12] test files that had not finished once more/);
    // Each file counted once, though the one that hung ran twice.
    expect(stdout.trim().split('\n').at(-1)).toBe(`2 passed, 0 failed (hung: ${hanging})`);
    expect(code).toBe(0);
  }, 60_000);

  it('fails when the file hangs again, after one second run', async () => {
    const { code, stdout, stderr } = await runner('hang', { STING_TEST_FILE_MINUTES: '0.05' });
    expect(stderr.match(/\[tests\] stopping Jest/g)).toHaveLength(2);
    expect(stderr.match(/once more/g)).toHaveLength(1);
    // The other file passes in whichever run reached it, if one did.
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^[01] passed, 0 failed \(hung: (.+); \1\)$/);
    expect(stdout).toContain(`(hung: ${hanging}; ${hanging})`);
    expect(code).toBe(1);
  }, 60_000);

  it('stops a Jest that will not exit after its last file, keeping the counts it reported', async () => {
    const { code, stdout, stderr } = await runner('open-handle', { STING_TEST_EXIT_MINUTES: '0.02' }); // 1.2 s
    expect(stderr).toContain('[tests] stopping Jest: it had not exited');
    expect(stderr).not.toContain('once more');
    expect(stdout.trim().split('\n').at(-1)).toBe('2 passed, 0 failed (hung: Jest after its last file)');
    expect(code).toBe(0);
  }, 60_000);

  it('stops a global setup that never returns, tries the whole run once more, and fails', async () => {
    const { code, stdout, stderr } = await runner('setup-hang', { STING_TEST_START_MINUTES: '0.05' }); // 3 s
    expect(stderr.match(/\[tests\] stopping Jest: no test file started within/g)).toHaveLength(2);
    expect(stderr).toContain('[tests] Jest ran no test file');
    expect(stdout.trim().split('\n').at(-1)).toBe('0 passed, 0 failed (hung: global setup; global setup)');
    expect(code).toBe(1);
  }, 60_000);
});
