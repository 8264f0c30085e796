// Throwaway directories for tests that start their own service instances, and a poll for what follows a kill.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function scratchDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `sting-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** kit's one waiting helper, as a boolean for the tests that assert on it. */
export { eventually } from '@sting/kit/testing';

export { freePort } from '../src/services/readiness.ts';
