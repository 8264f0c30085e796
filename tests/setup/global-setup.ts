// Jest global setup: starts (or reuses) PostgreSQL, Redis and Chroma once per run and hands their URLs to the
// tests, on a database of their own (sting_test, Redis db 1) so a run never touches the data of `npm start`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadConfig } from '@sting/kit';
import { servicesOptions } from '@sting/ops/service-options.ts';
import { startServices, type Services } from '@sting/ops/services/index.ts';
import { testServicesFile, type TestServices } from './test-services.ts';

declare global {
  var stingTestServices: Services | undefined;
}

export default async function globalSetup(): Promise<void> {
  const began = performance.now();
  // DATABASE_URL / REDIS_URL / CHROMA_URL, when set, override config.yml here and nothing is started for them.
  const config = await loadConfig();
  const say = (line: string) => process.stderr.write(`[test services] ${line}\n`);
  const services = await startServices({
    ...servicesOptions(config, { database: 'sting_test', redisDatabase: 1 }),
    log: say,
    onReady: (service, ms) => say(`${service.name} ${service.reused ? 'reused' : 'started'} (${ms}ms)`),
  });
  globalThis.stingTestServices = services;
  const urls: TestServices = {
    DATABASE_URL: services.databaseUrl,
    REDIS_URL: services.redisUrl,
    CHROMA_URL: services.chromaUrl,
  };
  Object.assign(process.env, urls);
  // Workers are separate processes: the file reaches them even where the environment does not.
  mkdirSync(dirname(testServicesFile), { recursive: true });
  writeFileSync(testServicesFile, JSON.stringify(urls, null, 2), { mode: 0o600 });
  say(`ready in ${Math.round(performance.now() - began)}ms`);
}
