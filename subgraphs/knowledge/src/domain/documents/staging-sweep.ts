// Staging files of uploads that never completed (the client went away, the process stopped mid-write) are removed
// on start and every hour, once they are older than the upload lifetime plus a margin.
import type { SubgraphRuntime } from '@sting/kit';
import { documentServices } from './services.ts';

const EVERY_MS = 3_600_000;
const MARGIN_MS = 3_600_000;

export async function sweepStagedUploads(runtime: SubgraphRuntime, now = Date.now()): Promise<number> {
  const { blobs, settings } = await documentServices(runtime);
  return blobs.sweepStaging(new Date(now - settings.uploadTtlSeconds * 1000 - MARGIN_MS));
}

export function startStagingSweep(runtime: SubgraphRuntime): void {
  const sweep = () =>
    sweepStagedUploads(runtime)
      .then((removed) => {
        if (removed > 0) runtime.logger.info({ removed }, 'abandoned staged uploads removed');
      })
      .catch((err: unknown) => runtime.logger.warn({ err }, 'sweeping staged uploads failed'));
  void sweep();
  const timer = setInterval(sweep, EVERY_MS);
  timer.unref();
  runtime.stopHooks.push(() => clearInterval(timer));
}
