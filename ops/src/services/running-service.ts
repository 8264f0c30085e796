// What starting (or finding) a backing service yields: where to reach it and how to stop it.
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
