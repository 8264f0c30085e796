// Redis for the embedded topology: the system's redis-server (installed from Debian when missing and we are
// root), as our child with its data under dataDir, listening on 127.0.0.1 only, behind a password.
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { withFileLock } from './file-lock.ts';
import { exchange, waitUntilReady } from './readiness.ts';
import { superviseProcess } from './supervised-process.ts';
import { REDIS_SERVER, ensureSystemCommand } from './system-package.ts';
import { reusedService, startedService, type RunningService, type ServiceLog } from './running-service.ts';

export type RedisOptions = {
  /** an existing server: nothing is started */
  url?: string;
  port: number;
  dataDir: string;
  logDir: string;
  /** logical database in the URL handed out (tests use their own) */
  database?: number;
  /**
   * Required of every client (AUTH); it is in the URL handed out. Without it any local account could PUBLISH a
   * forged event (a chat message reaching someone's subscription).
   */
  password?: string;
  log?: ServiceLog;
};

export async function startRedis(options: RedisOptions): Promise<RunningService> {
  const log = options.log ?? (() => undefined);
  if (options.url) return reusedService('Redis', options.url);
  const dataDir = resolve(options.dataDir);
  const auth = options.password ? `:${encodeURIComponent(options.password)}@` : '';
  const url = `redis://${auth}127.0.0.1:${options.port}/${options.database ?? 0}`;
  return withFileLock(`${dataDir}.lock`, 120_000, async () => {
    const answer = await ping(options.port, options.password);
    if (answer === 'PONG') return reusedService('Redis', url);
    if (/^-(ERR AUTH|WRONGPASS|NOAUTH)/.test(answer)) {
      throw new Error(
        `Redis: the server on port ${options.port} does not accept this platform's password (it was started ` +
          'by another setup, or without one); stop it or set REDIS_URL',
      );
    }
    if (answer !== 'closed') {
      throw new Error(
        `Redis: port ${options.port} is taken by a program that is not Redis; set redis.embedded.port or REDIS_URL`,
      );
    }
    const server = await redisServerBinary(log);
    const initialised = !existsSync(join(dataDir, 'appendonlydir'));
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chmodSync(dataDir, 0o700);
    // The password goes in a 0600 file, not on the command line, which every local account can read (ps).
    const configFile = join(dataDir, 'redis.conf');
    writeFileSync(configFile, options.password ? `requirepass "${options.password}"\n` : '', { mode: 0o600 });
    chmodSync(configFile, 0o600);
    const logFile = join(options.logDir, 'redis.log');
    const child = superviseProcess({
      name: 'Redis',
      command: server,
      args: [
        configFile,
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
    await waitUntilReady('Redis', async () => (await ping(options.port, options.password)) === 'PONG', {
      timeoutMs: 20_000,
      process: child,
      logFile,
    });
    return startedService('Redis', url, initialised, child);
  });
}

/** 'PONG', 'closed' (nothing listens) or whatever else answered (e.g. `-NOAUTH ...` for a wrong password). */
export async function ping(port: number, password?: string): Promise<string> {
  // HELLO authenticates and answers in one reply, so the first bytes tell the whole story.
  const command = password ? `HELLO 2 AUTH default ${password}\r\n` : 'PING\r\n';
  const answer = await exchange(port, command);
  if (answer === '') return 'closed';
  if (answer.startsWith('+PONG') || (password && answer.startsWith('*') && answer.includes('redis')))
    return 'PONG';
  return answer.trim();
}

function redisServerBinary(log: ServiceLog): Promise<string> {
  return ensureSystemCommand(REDIS_SERVER, log);
}
