// Where a Jest run keeps its private services (.data/test-runs/<pid>/) and leaves their URLs for test workers.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isProcessAlive } from '@sting/ops/services/readiness.ts';

export type TestServices = { DATABASE_URL: string; REDIS_URL: string; CHROMA_URL: string };

export const testRunsDir = fileURLToPath(new URL('../../.data/test-runs/', import.meta.url));
/** The most recent run's URLs; the run's own copy sits in its directory and is named by STING_TEST_SERVICES. */
export const testServicesFile = fileURLToPath(new URL('../../.data/test-services.json', import.meta.url));

/**
 * Removes what runs that died left in `dir`: each run keeps its services' data in folders named after its process
 * id (`<pid>` or `<pid>-<what>`), removed when it stops, but a run killed or crashed never gets there, and a
 * cluster of the larger benchmarks holds gigabytes. Folders of runs still alive are left alone.
 */
export function removeDeadRuns(dir: string): void {
  let runs: string[];
  try {
    runs = readdirSync(dir);
  } catch {
    return; // nothing there yet
  }
  for (const run of runs) {
    const pid = Number.parseInt(run, 10);
    if (Number.isInteger(pid) && pid > 0 && !isProcessAlive(pid)) {
      rmSync(join(dir, run), { recursive: true, force: true });
    }
  }
}
