// Jest global teardown: stops the run's own services and deletes their data; URL-given services are left alone.
import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const run = globalThis.stingTestServices;
  if (!run) return;
  globalThis.stingTestServices = undefined;
  await run.services.stop();
  rmSync(run.runDir, { recursive: true, force: true });
}
