// The lock between processes, with real concurrent processes: a lock left by a dead holder is taken over by
// exactly one contender at a time (each journal entry pair "in"/"out" belongs to one process), and a live
// holder keeps everyone else waiting until it releases.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withFileLock } from '../src/services/file-lock.ts';
import { scratchDir } from './scratch.ts';

const scratch = scratchDir('file-lock');
afterAll(() => scratch.remove());
const contender = fileURLToPath(new URL('./fixtures/lock-contender.ts', import.meta.url));

function runContenders(count: number, lockPath: string, journal: string): Promise<number[]> {
  // They all start at the same instant, so they see the same stale lock together.
  const startAt = Date.now() + 1500;
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<number>((resolve) => {
          const child = spawn(process.execPath, [contender, lockPath, journal, String(startAt)], {
            stdio: 'inherit',
          });
          child.once('exit', (code) => resolve(code ?? -1));
        }),
    ),
  );
}

/** Every "in" is followed by the same process's "out" before anyone else's "in". */
function assertExclusive(journal: string, contenders: number): void {
  const lines = readFileSync(journal, 'utf8').trim().split('\n');
  expect(lines).toHaveLength(contenders * 2);
  for (let i = 0; i < lines.length; i += 2) {
    const [enter, pid] = (lines[i] as string).split(' ');
    expect(enter).toBe('in');
    expect(lines[i + 1]).toBe(`out ${pid}`);
  }
}

describe('withFileLock', () => {
  const long = new Date(Date.now() - 120_000);

  it.each([
    ['a stale lock directory', (path: string) => mkdirSync(path)],
    ["an earlier version's pid file of a dead process", (path: string) => writeFileSync(path, '999999')],
  ])(
    'lets one process at a time take over %s',
    async (_what, leave) => {
      const dir = join(scratch.path, String(Math.random()).slice(2));
      mkdirSync(dir);
      const lockPath = join(dir, 'data.lock');
      const journal = join(dir, 'journal');
      leave(lockPath);
      utimesSync(lockPath, long, long); // its holder stopped refreshing it long ago
      const codes = await runContenders(6, lockPath, journal);
      expect(codes).toEqual([0, 0, 0, 0, 0, 0]);
      assertExclusive(journal, 6);
      expect(existsSync(lockPath)).toBe(false);
    },
    60_000,
  );

  it('keeps other processes waiting while a live holder works, then lets them in', async () => {
    const dir = join(scratch.path, 'live');
    mkdirSync(dir);
    const lockPath = join(dir, 'data.lock');
    const journal = join(dir, 'journal');
    let others: Promise<number[]> | undefined;
    await withFileLock(lockPath, 5_000, async () => {
      writeFileSync(journal, `in ${process.pid}\n`);
      others = runContenders(3, lockPath, journal);
      // Longer than the contenders' start delay: they are waiting on our lock meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      writeFileSync(journal, `in ${process.pid}\nout ${process.pid}\n`);
    });
    expect(await others).toEqual([0, 0, 0]);
    assertExclusive(journal, 4);
  }, 60_000);

  it('gives up with a message after its timeout while the holder lives', async () => {
    const lockPath = join(scratch.path, 'held.lock');
    await withFileLock(lockPath, 1_000, async () => {
      await expect(withFileLock(lockPath, 500, async () => 'never')).rejects.toThrow(
        /held by another process/,
      );
    });
  });
});
