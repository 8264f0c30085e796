// An exclusive lock between processes (two `npm start`s, or a launcher and a test run starting at once), held
// with proper-lockfile: an atomic mkdir whose mtime the holder keeps fresh, so a dead holder's lock goes stale.
import { mkdirSync } from 'node:fs';
import fs from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import lockfile from 'proper-lockfile';

/** A holder that has not refreshed its lock for this long is taken for dead. */
const STALE_MS = 10_000;

export async function withFileLock<T>(path: string, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  mkdirSync(dirname(path), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  for (;;) {
    try {
      release = await lockfile.lock(path, {
        lockfilePath: path,
        realpath: false,
        stale: STALE_MS,
        fs: takeoverFs,
        // The default throws from a timer (an uncaught exception); the start that held it fails instead.
        onCompromised: (error) => {
          compromised = error;
        },
      });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    }
    if (Date.now() > deadline) {
      throw new Error(`${path} is held by another process for more than ${timeoutMs / 1000}s; is it stuck?`);
    }
    await sleep(200);
  }
  try {
    const result = await work();
    if (compromised) throw new Error(`${path}: lost the lock while holding it (${compromised.message})`);
    return result;
  } finally {
    releasing.add(path);
    await release().catch(() => undefined);
    releasing.delete(path);
  }
}

/**
 * proper-lockfile removes a stale lock with a plain rmdir after its stat: two processes that both saw the same
 * stale lock could each remove it, the second one removing the fresh lock the first had just made, and both
 * would proceed. Here removal of one stale lock (identified by inode and mtime) is claimed first with an
 * atomic mkdir of a marker named after it, and the lock is removed only if it is still that same stale one.
 */
const lastStat = new Map<string, fs.Stats>();
/** Locks this process is releasing: their removal is the holder's own, not a takeover. */
const releasing = new Set<string>();

const takeoverFs = {
  ...fs,
  mkdir(path: string, callback: (error: NodeJS.ErrnoException | null) => void) {
    fs.mkdir(path, { mode: 0o700 }, (error) => callback(error));
  },
  stat(path: string, callback: (error: NodeJS.ErrnoException | null, stat: fs.Stats) => void) {
    fs.stat(path, (error, stat) => {
      if (!error) lastStat.set(path, stat);
      callback(error, stat);
    });
  },
  rmdir(path: string, callback: (error: NodeJS.ErrnoException | null) => void) {
    const seen = lastStat.get(path);
    // The holder's own release (and proper-lockfile's clean-up after a failed probe) removes its own lock.
    if (!seen || releasing.has(path))
      return fs.rm(path, { recursive: true, force: true }, (e) => callback(e));
    const marker = `${path}.takeover-${seen.ino}-${Math.round(seen.mtimeMs)}`;
    removeLeftoverMarker(marker);
    fs.mkdir(marker, (claimError) => {
      if (claimError) return callback(claimError.code === 'EEXIST' ? heldError(path) : claimError);
      fs.stat(path, (statError, now) => {
        const same = !statError && now.ino === seen.ino && now.mtimeMs === seen.mtimeMs;
        const done = (error: NodeJS.ErrnoException | null) => {
          // The marker stays a while: a slower process that saw the same stale lock finds it and backs off.
          setTimeout(() => fs.rmdir(marker, () => undefined), STALE_MS).unref();
          callback(error);
        };
        if (statError) return done(statError.code === 'ENOENT' ? null : statError);
        if (!same) return done(heldError(path));
        // A lock file left by the pid-file locks of earlier versions is a file, not a directory.
        fs.rm(path, { recursive: true }, done);
      });
    });
  },
};

function heldError(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error('Lock file is already being held'), { code: 'ELOCKED', path });
}

/** A marker whose claimer died mid-takeover would block the takeover for good: after a while it goes. */
function removeLeftoverMarker(marker: string): void {
  try {
    if (Date.now() - fs.statSync(marker).mtimeMs > 3 * STALE_MS) fs.rmdirSync(marker);
  } catch {
    // none, or already removed
  }
}
