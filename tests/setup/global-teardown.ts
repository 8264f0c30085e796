// Jest global teardown: stops the services global setup started itself; reused ones keep running.
import { rmSync } from 'node:fs';
import { testServicesFile } from './test-services.ts';

export default async function globalTeardown(): Promise<void> {
  await globalThis.stingTestServices?.stop();
  globalThis.stingTestServices = undefined;
  rmSync(testServicesFile, { force: true });
}
