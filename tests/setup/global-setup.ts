// Jest global setup: starts PostgreSQL, Redis and Chroma once per run, private to the run (own ports, data under
// .data/test-runs/<pid>/, database sting_test), so a run never touches `npm start`'s data nor another run's
// services (a shared instance would be stopped by whichever run finishes first). A URL in DATABASE_URL,
// REDIS_URL or CHROMA_URL is used instead of starting that service.
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@sting/kit';
import { servicesOptions } from '@sting/ops/service-options.ts';
import { startServices, type Services } from '@sting/ops/services/index.ts';
import { freePort } from '@sting/ops/services/readiness.ts';
import { ensurePlaygroundBuilt } from '../../gateway/scripts/playground-bundle.ts';
import { removeDeadRuns, testRunsDir, testServicesFile, type TestServices } from './test-services.ts';

declare global {
  var stingTestServices: { services: Services; runDir: string } | undefined;
}

export default async function globalSetup(): Promise<void> {
  const began = performance.now();
  const say = (line: string) => process.stderr.write(`[test services] ${line}\n`);
  removeDeadRuns(testRunsDir);
  const runDir = join(testRunsDir, String(process.pid));
  const config = await loadConfig();
  // The run's Redis wants a password like the platform's does; it travels in REDIS_URL to every test.
  const redisPassword = randomBytes(18).toString('base64url');
  const options = servicesOptions(config, { database: 'sting_test', redisPassword });
  // The playground is a build step; tests serve it like `npm start` does (built only when missing or stale).
  const playground = ensurePlaygroundBuilt();
  playground.catch(() => undefined); // awaited below
  const [postgresPort, redisPort, chromaPort] = [await freePort(), await freePort(), await freePort()];
  const services = await startServices({
    ...options,
    postgres: { ...options.postgres, port: postgresPort, dataDir: join(runDir, 'postgres') },
    redis: { ...options.redis, port: redisPort, dataDir: join(runDir, 'redis') },
    chroma: { ...options.chroma, port: chromaPort, dataDir: join(runDir, 'chroma') },
    logDir: join(runDir, 'logs'),
    log: say,
    onReady: (service, ms) => say(`${service.name} ${service.reused ? 'given by URL' : 'started'} (${ms}ms)`),
  });
  await playground;
  globalThis.stingTestServices = { services, runDir };
  const urls: TestServices = {
    DATABASE_URL: services.databaseUrl,
    REDIS_URL: services.redisUrl,
    CHROMA_URL: services.chromaUrl,
  };
  // Workers inherit this environment; the files reach them where it does not propagate.
  const ownFile = join(runDir, 'services.json');
  Object.assign(process.env, urls, { STING_TEST_SERVICES: ownFile });
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  for (const file of [ownFile, testServicesFile])
    writeFileSync(file, JSON.stringify(urls, null, 2), { mode: 0o600 });
  say(`ready in ${Math.round(performance.now() - began)}ms`);
}
