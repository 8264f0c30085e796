// A command from Debian's packages that STING needs (redis-server, chromium for the browser tests): found on the
// PATH, or installed with apt-get when running as root on Debian/Ubuntu, or a clear message saying what to install.
// `node ops/src/system-packages.ts` installs them all ahead (CI does, as a step of its own).
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export function findOnPath(command: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/sbin', '/usr/local/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here, or not executable
    }
  }
  return undefined;
}

/** A command STING takes from Debian's packages, and what to say when it can be neither found nor installed. */
export interface SystemCommand {
  command: string;
  aptPackage: string;
  what: string;
  hint: string;
}

export const REDIS_SERVER: SystemCommand = {
  command: 'redis-server',
  aptPackage: 'redis-server',
  what: 'Redis',
  hint:
    'Install it (Debian/Ubuntu: `sudo apt-get install redis-server`, macOS: `brew install redis`) or set ' +
    'REDIS_URL to an existing server.',
};

export const CHROMIUM: SystemCommand = {
  command: 'chromium',
  aptPackage: 'chromium',
  what: 'Browser tests',
  hint: 'Install Debian/Ubuntu `chromium` (apt-get install chromium).',
};

/** How long one apt-get may run before it is stopped: a mirror that stalls must not hold a start or a test run. */
export const APT_MAX_MS = 10 * 60_000;
/** apt's own bounds on the network: a connection that stalls for 30 s fails, and each download is tried 3 times. */
export const APT_NETWORK_OPTIONS = [
  '-o',
  'Acquire::Retries=3',
  '-o',
  'Acquire::http::Timeout=30',
  '-o',
  'Acquire::https::Timeout=30',
];
/**
 * Besides those, another apt-get holding the package database (a second install at once, the machine's own
 * updates) is waited for up to two minutes instead of failing at once.
 */
const APT_OPTIONS = [...APT_NETWORK_OPTIONS, '-o', 'DPkg::Lock::Timeout=120'];

function aptGet(args: string[], maxMs = APT_MAX_MS): Promise<{ status: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('apt-get', [...APT_OPTIONS, ...args], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const timer = setTimeout(() => {
      const bound = maxMs >= 60_000 ? `${maxMs / 60_000} minutes` : `${maxMs / 1000} s`;
      stderr += `\napt-get ${args.join(' ')} was stopped after ${bound}`;
      child.kill('SIGTERM');
    }, maxMs);
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ status: 1, stderr: error.message });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ status: code ?? 1, stderr });
    });
  });
}

/** Whether packages can be installed here: root on a Debian-like Linux. */
function aptUsable(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
}

/** The path of the command, installing its Debian package first when it is missing and apt can be used. */
export async function ensureSystemCommand(
  { command, aptPackage, what, hint }: SystemCommand,
  log?: (line: string) => void,
  { aptMaxMs = APT_MAX_MS, useApt = aptUsable() } = {},
): Promise<string> {
  const found = findOnPath(command);
  if (found) return found;
  if (!useApt) throw new Error(`${what}: ${command} is not installed. ${hint}`);
  log?.(`${what}: ${command} is missing; installing it with apt-get`);
  const install = () => aptGet(['install', '-y', '--no-install-recommends', aptPackage], aptMaxMs);
  let result = await install();
  if (result.status !== 0) {
    // A fresh machine has no package lists yet.
    await aptGet(['update'], aptMaxMs);
    result = await install();
  }
  const installed = findOnPath(command);
  if (result.status !== 0 || !installed)
    throw new Error(`${what}: apt-get install ${aptPackage} failed:\n${result.stderr}`);
  return installed;
}
