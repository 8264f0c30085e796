// The data folders of test and benchmark runs that died are removed by the next run; a live run's are kept.
import { describe, it, expect } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeDeadRuns } from './test-services.ts';

describe('removeDeadRuns', () => {
  it("removes the folders of runs whose process is gone, and keeps the live run's and anything else", () => {
    const dir = mkdtempSync(join(tmpdir(), 'sting-runs-'));
    try {
      // A process that has exited: its pid names a dead run.
      const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
      for (const name of [`${dead}`, `${dead}-chroma`, `${process.pid}`, `${process.pid}-chroma`, 'notes']) {
        mkdirSync(join(dir, name, 'postgres'), { recursive: true });
        writeFileSync(join(dir, name, 'postgres', 'PG_VERSION'), '17');
      }
      removeDeadRuns(dir);
      expect(readdirSync(dir).sort()).toEqual([`${process.pid}`, `${process.pid}-chroma`, 'notes'].sort());
      removeDeadRuns(join(dir, 'missing')); // no folder yet: nothing to do, no error
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
