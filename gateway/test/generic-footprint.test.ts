// What loading generic mode loads: it imports kit by file, never kit's index, so the database layer (MikroORM,
// kysely, pg), config loading (zod, yaml), Redis, Vault, Chroma and Ory's client stay out of a gateway in front of
// someone else's subgraphs. Checked in a fresh process with a load hook that records every module.
import { describe, it, expect } from '@jest/globals';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const GATEWAY_DIR = fileURLToPath(new URL('..', import.meta.url));

/** Packages generic mode must not load (the embedded and distributed topologies load them as they need them). */
const NOT_LOADED = [
  '@mikro-orm/',
  'kysely',
  'pg',
  'zod',
  'yaml',
  'ioredis',
  'node-vault',
  'chromadb',
  '@ory/client',
  'undici',
];

const LIST_MODULES = `
import { registerHooks } from 'node:module';
const loaded = [];
registerHooks({ load(url, context, next) { loaded.push(url); return next(url, context); } });
await import('@sting/gateway/generic/index.ts');
process.stdout.write(JSON.stringify(loaded));
`;

describe('generic mode footprint', () => {
  it('loads none of the database, config, Redis, Vault, Chroma or Ory modules', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '--eval', LIST_MODULES],
      { cwd: GATEWAY_DIR, maxBuffer: 16 * 1024 * 1024 },
    );
    const urls = JSON.parse(stdout) as string[];
    const packages = new Set(
      urls.map((url) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1]).filter(Boolean) as string[],
    );
    const kitFiles = urls.filter((url) => url.includes('/packages/kit/src/'));
    expect(urls.some((url) => url.endsWith('/gateway/src/generic/index.ts'))).toBe(true);
    expect(
      [...packages].filter((name) =>
        NOT_LOADED.some((p) => (p.endsWith('/') ? name.startsWith(p) : name === p)),
      ),
    ).toEqual([]);
    expect(kitFiles.filter((url) => url.endsWith('/packages/kit/src/index.ts'))).toEqual([]);
  }, 30_000);
});
