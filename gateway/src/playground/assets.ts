// Where the built playground lives and what the build wrote about it. The gateway only reads these files; the
// build itself is gateway/scripts/playground-bundle.ts (a development step).
import { readFile } from 'node:fs/promises';

export const PLAYGROUND_OUT_DIR = new URL('../../public/playground/', import.meta.url);

export interface PlaygroundManifest {
  fingerprint: string;
  builtAt: string;
  files: string[];
}

export async function readManifest(
  outDir: URL = PLAYGROUND_OUT_DIR,
): Promise<PlaygroundManifest | undefined> {
  try {
    return JSON.parse(await readFile(new URL('manifest.json', outDir), 'utf8')) as PlaygroundManifest;
  } catch {
    return undefined;
  }
}
