// Readiness checks for the services the platform depends on (PostgreSQL, Redis, Chroma), in either topology:
// each opens its own small connection once and asks the cheapest question the service answers.
import pg from 'pg';
import { chromaHeartbeat, createChromaClient } from '@sting/kit/chroma.ts';
import { closeRedis, createRedis } from '@sting/kit/redis.ts';
import type { ReadinessCheck } from './index.ts';

/** Well inside the probe's own limit, so a hung dependency reads as failing rather than the probe timing out. */
const DEPENDENCY_TIMEOUT_MS = 1000;

export interface DependencyUrls {
  databaseUrl?: string;
  /** Empty: the in-process bus, nothing to check. */
  redisUrl?: string;
  chromaUrl?: string;
}

export interface DependencyChecks {
  checks: ReadinessCheck[];
  close(): Promise<void>;
}

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: no answer in ${DEPENDENCY_TIMEOUT_MS}ms`)),
      DEPENDENCY_TIMEOUT_MS,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function dependencyChecks(urls: DependencyUrls): DependencyChecks {
  const checks: ReadinessCheck[] = [];
  const closers: (() => Promise<unknown>)[] = [];
  if (urls.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: urls.databaseUrl,
      max: 1,
      connectionTimeoutMillis: DEPENDENCY_TIMEOUT_MS,
      idleTimeoutMillis: 30_000,
    });
    // An idle connection dropped by the server must not crash the process; the next check reconnects.
    pool.on('error', () => undefined);
    checks.push({
      name: 'database',
      check: async () => void (await withTimeout(pool.query('select 1'), 'database')),
    });
    closers.push(() => pool.end());
  }
  if (urls.redisUrl) {
    // Fails fast while Redis is away instead of queueing the PING until it returns.
    const redis = createRedis(urls.redisUrl, 'sting-readiness', { maxRetriesPerRequest: 0 });
    checks.push({ name: 'redis', check: async () => void (await withTimeout(redis.ping(), 'redis')) });
    closers.push(() => closeRedis(redis));
  }
  if (urls.chromaUrl) {
    const chroma = createChromaClient(urls.chromaUrl);
    checks.push({
      name: 'chroma',
      check: async () => {
        const beat = await chromaHeartbeat(chroma, DEPENDENCY_TIMEOUT_MS);
        if (!beat.ok) throw new Error(beat.error);
      },
    });
  }
  return {
    checks,
    async close() {
      await Promise.allSettled(closers.map((close) => close()));
    },
  };
}
