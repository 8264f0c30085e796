// A command from Debian's packages that STING needs (redis-server, chromium for the browser tests): found on the
// PATH, or installed with apt-get when running as root on Debian/Ubuntu, or a clear message saying what to install.
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

function aptGet(args: string[]): Promise<{ status: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('apt-get', args, {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    child.once('error', (error) => resolve({ status: 1, stderr: error.message }));
    child.once('exit', (code) => resolve({ status: code ?? 1, stderr }));
  });
}

/** The path of `command`, installing Debian's `aptPackage` first when it is missing and apt can be used. */
export async function ensureSystemCommand(
  command: string,
  aptPackage: string,
  options: { what: string; hint: string; log?: (line: string) => void },
): Promise<string> {
  const found = findOnPath(command);
  if (found) return found;
  const canInstall =
    process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) throw new Error(`${options.what}: ${command} is not installed. ${options.hint}`);
  options.log?.(`${options.what}: ${command} is missing; installing it with apt-get`);
  const install = () => aptGet(['install', '-y', '--no-install-recommends', aptPackage]);
  let result = await install();
  if (result.status !== 0) {
    // A fresh machine has no package lists yet.
    await aptGet(['update']);
    result = await install();
  }
  const installed = findOnPath(command);
  if (result.status !== 0 || !installed)
    throw new Error(`${options.what}: apt-get install ${aptPackage} failed:\n${result.stderr}`);
  return installed;
}
