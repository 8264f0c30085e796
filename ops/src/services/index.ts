// Starts (or finds already running) PostgreSQL, Redis and Chroma in parallel, restarts what it started when it
// crashes (backoff, then giving up after repeated crashes), and stops what it started.
import { mkdirSync } from 'node:fs';
import { startChroma } from './chroma.ts';
import { keepRunning, defaultRestartPolicy, type KeptRunning, type RestartPolicy } from './keep-running.ts';
import { makePrivate } from './private-files.ts';
import { startPostgres } from './postgres.ts';
import { startRedis } from './redis.ts';
import type { RunningService, ServiceLog } from './running-service.ts';

export type { RunningService, ServiceLog } from './running-service.ts';
export { ensureDatabase, withDatabase } from './postgres.ts';

export type ServicesOptions = {
  postgres: { url?: string; port: number; dataDir: string; database: string; sharedBuffersMB?: number };
  redis: { url?: string; port: number; dataDir: string; database?: number; password?: string };
  chroma: { url?: string; port: number; dataDir: string };
  logDir: string;
  cacheDir: string;
  log?: ServiceLog;
  /** called as each service answers, with how long it took */
  onReady?: (service: RunningService, elapsedMs: number) => void;
  /** crashed services are started again under this policy (default: defaultRestartPolicy) */
  restart?: RestartPolicy;
  /** told of each crash and of each restart that followed one */
  onCrash?: (name: string, exit: unknown, restartInMs: number | undefined) => void;
  onRestarted?: (name: string) => void;
};

export type Services = {
  databaseUrl: string;
  redisUrl: string;
  chromaUrl: string;
  list: RunningService[];
  /** one per process: settles with its name when it kept crashing and is given up on */
  gaveUp: Promise<string>[];
  stop(): Promise<void>;
};

export async function startServices(options: ServicesOptions): Promise<Services> {
  const common = { logDir: options.logDir, log: options.log };
  mkdirSync(options.logDir, { recursive: true, mode: 0o700 });
  for (const dir of [options.logDir, options.postgres.dataDir, options.redis.dataDir, options.chroma.dataDir])
    makePrivate(dir);
  const timed = async (start: () => Promise<RunningService>) => {
    const began = performance.now();
    const service = await start();
    options.onReady?.(service, Math.round(performance.now() - began));
    return service;
  };
  const starters = [
    () => startPostgres({ ...options.postgres, ...common }),
    () => startRedis({ ...options.redis, ...common }),
    () => startChroma({ ...options.chroma, ...common, cacheDir: options.cacheDir }),
  ];
  const settled = await Promise.allSettled(starters.map((start) => timed(start)));
  const started = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failures = settled.flatMap((result) =>
    result.status === 'rejected' ? [result.reason as Error] : [],
  );
  if (failures.length > 0) {
    await stopAll(started);
    throw failures.length === 1
      ? failures[0]
      : new AggregateError(failures, failures.map((f) => f.message).join('\n'));
  }
  const [postgres, redis, chroma] = started as [RunningService, RunningService, RunningService];
  const say = options.log ?? (() => undefined);
  // Same ports, data and password on every restart: the URLs handed out stay valid, and clients reconnect.
  const kept: KeptRunning<RunningService>[] = started.map((service, index) =>
    keepRunning(
      service.name,
      service,
      starters[index] as () => Promise<RunningService>,
      options.restart ?? defaultRestartPolicy,
      {
        onCrash: (name, exit, restartInMs) => {
          options.onCrash?.(name, exit, restartInMs);
          say(
            restartInMs === undefined
              ? `${name} exited (${String(exit)}) and keeps crashing: giving up on it`
              : `${name} exited unexpectedly (${String(exit)}); restarting in ${restartInMs}ms`,
          );
        },
        onRestarted: (name, again) => {
          options.onRestarted?.(name);
          say(`${name} restarted (pid ${again.pid ?? '?'})`);
        },
        onRestartFailed: (name, error) => say(`${name} restart failed: ${error.message}`),
      },
    ),
  );
  return {
    databaseUrl: postgres.url,
    redisUrl: redis.url,
    chromaUrl: chroma.url,
    list: started,
    gaveUp: kept.map((service) => service.gaveUp),
    stop: async () => {
      await Promise.all(kept.map((service) => service.stop()));
    },
  };
}

async function stopAll(services: RunningService[]): Promise<void> {
  await Promise.all(services.map((service) => service.stop()));
}
