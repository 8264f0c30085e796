// Redis for the embedded topology: the system's redis-server (installed from Debian when missing and we are
// root), as our child with its data under dataDir, listening on 127.0.0.1 only.
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { withFileLock } from './file-lock.ts';
import { exchange, waitUntilReady } from './readiness.ts';
import { superviseProcess } from './supervised-process.ts';
import { reusedService, startedService, type RunningService, type ServiceLog } from './running-service.ts';

export type RedisOptions = {
  /** an existing server: nothing is started */
  url?: string;
  port: number;
  dataDir: string;
  logDir: string;
  /** logical database in the URL handed out (tests use their own) */
  database?: number;
  log?: ServiceLog;
};

export async function startRedis(options: RedisOptions): Promise<RunningService> {
  const log = options.log ?? (() => undefined);
  if (options.url) return reusedService('Redis', options.url);
  const dataDir = resolve(options.dataDir);
  const url = `redis://127.0.0.1:${options.port}/${options.database ?? 0}`;
  return withFileLock(`${dataDir}.lock`, 120_000, async () => {
    const answer = await ping(options.port);
    if (answer === 'PONG') return reusedService('Redis', url);
    if (answer !== 'closed') {
      throw new Error(
        `Redis: port ${options.port} is taken by a program that is not Redis; set redis.embedded.port or REDIS_URL`,
      );
    }
    const server = await redisServerBinary(log);
    const initialised = !existsSync(join(dataDir, 'appendonlydir'));
    mkdirSync(dataDir, { recursive: true });
    const logFile = join(options.logDir, 'redis.log');
    const child = superviseProcess({
      name: 'Redis',
      command: server,
      args: [
        ...['--port', String(options.port), '--bind', '127.0.0.1', '--dir', dataDir, '--daemonize', 'no'],
        // the append-only file keeps every write across restarts; snapshots make restarts fast
        ...[
          '--appendonly',
          'yes',
          '--save',
          '60 1',
          '--pidfile',
          join(dataDir, 'redis.pid'),
          '--logfile',
          '',
        ],
      ],
      logFile,
      stopSignal: 'SIGTERM', // Redis saves and exits on SIGTERM
      deathSignal: 'SIGTERM',
      graceMs: 10_000,
    });
    await waitUntilReady('Redis', async () => (await ping(options.port)) === 'PONG', {
      timeoutMs: 20_000,
      process: child,
      logFile,
    });
    return startedService('Redis', url, initialised, child);
  });
}

/** 'PONG', 'closed' (nothing listens) or whatever else answered. */
export async function ping(port: number): Promise<string> {
  const answer = await exchange(port, 'PING\r\n');
  if (answer === '') return 'closed';
  return answer.startsWith('+PONG') ? 'PONG' : answer.trim();
}

async function redisServerBinary(log: ServiceLog): Promise<string> {
  const found = findOnPath('redis-server');
  if (found) return found;
  const canInstall =
    process.platform === 'linux' && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) {
    throw new Error(
      'Redis: redis-server is not installed. Install it (Debian/Ubuntu: `sudo apt-get install redis-server`, ' +
        'macOS: `brew install redis`) or set REDIS_URL to an existing server.',
    );
  }
  log('Redis: redis-server is missing; installing it with apt-get');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'redis-server'], {
      env,
      encoding: 'utf8',
    });
  let result = install();
  if (result.status !== 0) {
    // A fresh machine has no package lists yet.
    execFileSync('apt-get', ['update'], { env, stdio: 'ignore' });
    result = install();
  }
  const installed = findOnPath('redis-server');
  if (result.status !== 0 || !installed) {
    throw new Error(`Redis: apt-get install redis-server failed:\n${result.stderr?.slice(-2000)}`);
  }
  return installed;
}

function findOnPath(command: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/sbin', '/usr/local/bin'];
  for (const dir of dirs) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
