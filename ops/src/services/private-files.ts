// Data, logs and secrets under .data/ are for the account that runs STING only: files 0600, folders 0700.
// Services create theirs that way (umask 077); this also tightens what an earlier version left readable.
import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Sets 0700 on `path` and every folder under it, 0600 on every file; symlinks and missing paths are left alone. */
export function makePrivate(path: string): void {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return;
  }
  if (stat.isSymbolicLink()) return;
  if (!stat.isDirectory()) {
    if ((stat.mode & 0o077) !== 0) chmodSync(path, 0o600);
    return;
  }
  // Traversal (o+x) stays where it was granted: PostgreSQL runs as its own account when we are root and must
  // reach its data folder through these; listing and reading stay closed.
  const mode = (stat.mode & 0o777 & ~0o077) | 0o700 | (stat.mode & 0o001);
  if ((stat.mode & 0o777) !== mode) chmodSync(path, mode);
  for (const entry of readdirSync(path)) makePrivate(join(path, entry));
}
