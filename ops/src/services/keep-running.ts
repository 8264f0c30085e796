// Keeps one started process running: when it exits unasked, it is started again after a backoff that doubles
// with each crash in the window, and given up on (the caller logs and alerts) after too many crashes in it.
import { setTimeout as sleep } from 'node:timers/promises';

export type RestartPolicy = {
  /** more crashes than this within windowSeconds: give up */
  maxCrashes: number;
  windowSeconds: number;
  backoffMs: number;
  maxBackoffMs: number;
};

export const defaultRestartPolicy: RestartPolicy = {
  maxCrashes: 5,
  windowSeconds: 60,
  backoffMs: 250,
  maxBackoffMs: 5_000,
};

/** What a (re)start yields: how to hear of its exit, and how to stop it. */
export type Started = { pid?: number; exited?: Promise<unknown>; stop(): Promise<void> };

export type KeepRunningEvents = {
  /** it exited unasked; `restartInMs` undefined means the launcher gives up */
  onCrash?: (name: string, exit: unknown, restartInMs: number | undefined) => void;
  onRestarted?: (name: string, started: Started) => void;
  /** a restart attempt itself failed (it counts as a crash) */
  onRestartFailed?: (name: string, error: Error) => void;
};

export type KeptRunning<T extends Started> = {
  /** the instance running now (the first one until a restart) */
  current(): T;
  /** settles with the name when the launcher gives up on it */
  gaveUp: Promise<string>;
  stop(): Promise<void>;
};

export function keepRunning<T extends Started>(
  name: string,
  first: T,
  restart: () => Promise<T>,
  policy: RestartPolicy,
  events: KeepRunningEvents = {},
): KeptRunning<T> {
  let current = first;
  let stopping = false;
  const crashes: number[] = [];
  let giveUp: (name: string) => void = () => undefined;
  const gaveUp = new Promise<string>((resolve) => (giveUp = resolve));
  let wake: (() => void) | undefined;

  /** Waits for an unasked exit of `instance`, then restarts until one sticks or the window is exhausted. */
  const watch = async (instance: T): Promise<void> => {
    if (!instance.exited) return; // someone else's process: nothing to watch
    let exit: unknown = await instance.exited.catch((error: Error) => error.message);
    for (;;) {
      if (stopping) return;
      const now = Date.now();
      crashes.push(now);
      while (crashes.length && (crashes[0] as number) < now - policy.windowSeconds * 1000) crashes.shift();
      if (crashes.length > policy.maxCrashes) {
        events.onCrash?.(name, exit, undefined);
        giveUp(name);
        return;
      }
      const delay = Math.min(policy.backoffMs * 2 ** (crashes.length - 1), policy.maxBackoffMs);
      events.onCrash?.(name, exit, delay);
      // Whatever the dead process left in its group (PostgreSQL backends, Chroma's server) would hold its port.
      killGroup(instance.pid);
      await new Promise<void>((resolve) => {
        wake = resolve;
        void sleep(delay).then(resolve);
      });
      if (stopping) return;
      try {
        instance = await restart();
      } catch (error) {
        events.onRestartFailed?.(name, error as Error);
        exit = (error as Error).message;
        continue;
      }
      if (stopping) {
        await instance.stop();
        return;
      }
      current = instance;
      events.onRestarted?.(name, instance);
      return watch(instance);
    }
  };
  const watching = watch(first);

  return {
    current: () => current,
    gaveUp,
    async stop() {
      stopping = true;
      wake?.();
      await current.stop();
      await watching;
    },
  };
}

function killGroup(pid: number | undefined): void {
  if (!pid || pid <= 0) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is gone with its leader
  }
}
