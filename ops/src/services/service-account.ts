// The unprivileged system account PostgreSQL runs as when we are root (initdb and postgres refuse root),
// and the directory permissions it needs to reach its binaries and data.
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export const databaseAccountName = 'sting-db';

export type Account = { name: string; uid: number; gid: number };

/** Returns the account, creating it once (as a system user without home or login shell) when missing. */
export function ensureAccount(name: string): Account {
  const existing = lookup(name);
  if (existing) return existing;
  try {
    execFileSync(
      'useradd',
      ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', name],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
  } catch (error) {
    // A concurrent start may have created it between our lookup and useradd.
    if (!lookup(name)) {
      throw new Error(`cannot create the system user ${name} (useradd): ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  const created = lookup(name);
  if (!created) throw new Error(`system user ${name} was created but cannot be found in /etc/passwd`);
  return created;
}

function lookup(name: string): Account | undefined {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith(`${name}:`));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return { name, uid: Number(uid), gid: Number(gid) };
}

/**
 * Lets other users traverse (not list) every directory above `path`: a checkout under /root or a
 * mkdtemp directory is mode 0700, and the database account must reach its data and binaries through it.
 */
export function openPathForTraversal(path: string, log: (line: string) => void): void {
  let dir = dirname(resolve(path));
  for (;;) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(dir, (mode & 0o7777) | 0o001);
      log(`made ${dir} traversable (o+x) so the ${databaseAccountName} account can reach ${path}`);
    }
    const parent = dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}
