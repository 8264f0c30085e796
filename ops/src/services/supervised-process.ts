// A service binary started as its own process group that cannot outlive the process that started it:
// on Linux `setpriv --pdeathsig` has the kernel signal it when its parent dies (even by SIGKILL).
import { spawn } from 'node:child_process';
import { closeSync, existsSync, fchmodSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

export type SpawnSpec = {
  name: string;
  command: string;
  args: string[];
  /** stdout and stderr are appended here, so a failed start can quote the service's own words */
  logFile: string;
  env?: NodeJS.ProcessEnv;
  /** run as this user (only when we are root: PostgreSQL refuses to run as root) */
  user?: { uid: number; gid: number };
  /** what the service treats as "shut down cleanly" */
  stopSignal: NodeJS.Signals;
  /** sent by the kernel if we die without stopping it */
  deathSignal: NodeJS.Signals;
  /** how long a clean shutdown may take before the whole group is killed */
  graceMs: number;
};

export type SupervisedProcess = {
  pid: number;
  /** resolves with the exit code (or signal name) once the process is gone */
  exited: Promise<number | string>;
  isRunning(): boolean;
  stop(): Promise<void>;
  logTail(lines?: number): string;
};

const setprivPaths = ['/usr/bin/setpriv', '/bin/setpriv'];
const setpriv = setprivPaths.find((path) => existsSync(path));

export function superviseProcess(spec: SpawnSpec): SupervisedProcess {
  // Logs and data are for this account only: a service's log can quote what it was sent.
  mkdirSync(dirname(spec.logFile), { recursive: true, mode: 0o700 });
  const log = openSync(spec.logFile, 'a', 0o600);
  fchmodSync(log, 0o600);
  const [command, args] = wrapped(spec);
  // detached: a new session and process group, so a terminal's Ctrl-C reaches only us and we stop the
  // services in order instead of every process receiving SIGINT at once.
  const child = withPrivateUmask(() =>
    spawn(command, args, {
      detached: true,
      stdio: ['ignore', log, log],
      env: spec.env ?? process.env,
    }),
  );
  closeSync(log);
  let running = true;
  const exited = new Promise<number | string>((resolve, reject) => {
    child.once('error', (error) => {
      running = false;
      reject(new Error(`${spec.name}: cannot run ${spec.command}: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      running = false;
      resolve(code ?? signal ?? 'unknown');
    });
  });
  exited.catch(() => undefined);
  if (!setpriv && child.pid) watchParent(child.pid, spec.deathSignal);

  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      // the group is already gone
    }
  };

  return {
    pid: child.pid ?? -1,
    exited,
    isRunning: () => running,
    logTail: (lines = 15) => tail(spec.logFile, lines),
    async stop() {
      if (!running) return;
      // The leader alone gets the polite signal: PostgreSQL wants it on the postmaster only.
      try {
        child.kill(spec.stopSignal);
      } catch {
        // already exiting
      }
      const timer = new Promise<'timeout'>((resolve) => setTimeout(resolve, spec.graceMs, 'timeout').unref());
      if ((await Promise.race([exited.catch(() => 'error'), timer])) === 'timeout') signalGroup('SIGKILL');
      await exited.catch(() => undefined);
      // Anything the leader left behind in its group goes too.
      signalGroup('SIGKILL');
    },
  };
}

/**
 * Files the service creates (Redis's append-only file, Chroma's database, a subgraph's uploads) are 0600 in
 * 0700 folders: the child inherits the umask in force when it is forked, which happens inside spawn().
 */
function withPrivateUmask<T>(start: () => T): T {
  let previous: number | undefined;
  try {
    previous = process.umask(0o077);
  } catch {
    // worker threads cannot change the umask; the explicit modes still apply
  }
  try {
    return start();
  } finally {
    if (previous !== undefined) process.umask(previous);
  }
}

function wrapped(spec: SpawnSpec): [string, string[]] {
  const asUser = spec.user && process.getuid?.() === 0 ? spec.user : undefined;
  if (!setpriv) {
    if (asUser) throw new Error(`${spec.name}: running as another user needs setpriv (util-linux)`);
    return [spec.command, spec.args];
  }
  // setpriv drops privileges first and sets the death signal last: the kernel clears a death signal when
  // the credentials change, so the order matters.
  const userArgs = asUser ? [`--reuid=${asUser.uid}`, `--regid=${asUser.gid}`, '--clear-groups'] : [];
  return [
    setpriv,
    [...userArgs, `--pdeathsig=${spec.deathSignal.replace(/^SIG/, '')}`, '--', spec.command, ...spec.args],
  ];
}

// Without setpriv (macOS, minimal images) a small detached watcher polls for our death instead.
function watchParent(pid: number, signal: NodeJS.Signals): void {
  const script = `const [parent, child, sig] = process.argv.slice(1);
const alive = (p) => { try { process.kill(Number(p), 0); return true; } catch { return false; } };
setInterval(() => {
  if (!alive(child)) process.exit(0);
  if (!alive(parent)) { try { process.kill(-Number(child), sig); } catch {} process.exit(0); }
}, 500);`;
  spawn(process.execPath, ['-e', script, String(process.pid), String(pid), signal], {
    detached: true,
    stdio: 'ignore',
  }).unref();
}

function tail(file: string, lines: number): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}
