// What starting (or finding) a backing service yields: where to reach it and how to stop it.
import type { SupervisedProcess } from './supervised-process.ts';
export type RunningService = {
  name: string;
  url: string;
  /** true when an instance that someone else started (or an external URL) is used: stop() leaves it alone */
  reused: boolean;
  /** true when this start created the data directory from scratch */
  initialised?: boolean;
  pid?: number;
  /** settles when a process we started exits, expectedly or not */
  exited?: Promise<unknown>;
  stop(): Promise<void>;
};

export type ServiceLog = (line: string) => void;

/** A service someone else runs (an external URL or an instance already up): stop() leaves it alone. */
export function reusedService(name: string, url: string, pid?: number): RunningService {
  return { name, url, reused: true, ...(pid === undefined ? {} : { pid }), stop: async () => undefined };
}

/** A service this process started and supervises. */
export function startedService(
  name: string,
  url: string,
  initialised: boolean,
  child: SupervisedProcess,
): RunningService {
  return { name, url, reused: false, initialised, pid: child.pid, exited: child.exited, stop: child.stop };
}
