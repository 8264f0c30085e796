// An exclusive lock file between processes (two `npm start`s, or a launcher and a test run starting at once).
// The holder's pid is inside, so a lock left by a dead process is taken over instead of blocking forever.
import { mkdirSync, openSync, closeSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive } from './readiness.ts';

export async function withFileLock<T>(path: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  mkdirSync(dirname(path), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // An empty file is a lock being written this very moment: wait for its pid rather than steal it.
    const holder = Number(readOr(path, '0') || 0);
    if (holder && !isProcessAlive(holder)) {
      // Stale: its owner died mid-start. Whoever unlinks first wins the next round of openSync.
      try {
        unlinkSync(path);
      } catch {
        // someone else cleaned it up
      }
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${path} is held by process ${holder || '?'} for more than ${timeoutMs / 1000}s; is it stuck?`,
      );
    }
    await sleep(200);
  }
  try {
    return await work();
  } finally {
    try {
      unlinkSync(path);
    } catch {
      // removed already
    }
  }
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return fallback;
  }
}
