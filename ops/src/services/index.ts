// Starts (or finds already running) PostgreSQL, Redis and Chroma in parallel, and stops what it started.
import { mkdirSync } from 'node:fs';
import { startChroma } from './chroma.ts';
import { makePrivate } from './private-files.ts';
import { startPostgres } from './postgres.ts';
import { startRedis } from './redis.ts';
import type { RunningService, ServiceLog } from './running-service.ts';

export type { RunningService, ServiceLog } from './running-service.ts';
export { ensureDatabase, withDatabase } from './postgres.ts';

export type ServicesOptions = {
  postgres: { url?: string; port: number; dataDir: string; database: string };
  redis: { url?: string; port: number; dataDir: string; database?: number; password?: string };
  chroma: { url?: string; port: number; dataDir: string };
  logDir: string;
  cacheDir: string;
  log?: ServiceLog;
  /** called as each service answers, with how long it took */
  onReady?: (service: RunningService, elapsedMs: number) => void;
};

export type Services = {
  databaseUrl: string;
  redisUrl: string;
  chromaUrl: string;
  list: RunningService[];
  /** settles when any process started here exits (a crash, when not stopping) */
  exited: Promise<string>;
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
  const starts = [
    timed(() => startPostgres({ ...options.postgres, ...common })),
    timed(() => startRedis({ ...options.redis, ...common })),
    timed(() => startChroma({ ...options.chroma, ...common, cacheDir: options.cacheDir })),
  ];
  const settled = await Promise.allSettled(starts);
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
  const exits = started.filter((s) => s.exited).map((s) => (s.exited as Promise<unknown>).then(() => s.name));
  return {
    databaseUrl: postgres.url,
    redisUrl: redis.url,
    chromaUrl: chroma.url,
    list: started,
    exited: exits.length > 0 ? Promise.race(exits) : new Promise(() => undefined),
    stop: () => stopAll(started),
  };
}

async function stopAll(services: RunningService[]): Promise<void> {
  await Promise.all(services.map((service) => service.stop()));
}
