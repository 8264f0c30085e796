// Node's module compile cache as STING's entry points turn it on: the modules a process imports afterwards leave
// their compiled code in the cache folder (a .ts file its stripped source too), and NODE_DISABLE_COMPILE_CACHE
// keeps it off.
import { describe, it, expect } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const helper = fileURLToPath(new URL('../src/runtime/compile-cache.ts', import.meta.url));
const COMPILE_CACHE_DIR = fileURLToPath(new URL('../../../.cache/node-compile', import.meta.url));

async function run(env: Record<string, string>, named = true) {
  const dir = await mkdtemp(join(tmpdir(), 'sting-compile-cache-'));
  const cache = join(dir, 'cache');
  await writeFile(join(dir, 'later.ts'), 'const n: number = 41;\nexport const answer = n + 1;\n');
  await writeFile(
    join(dir, 'entry.ts'),
    [
      `import { flushCompileCache, getCompileCacheDir } from 'node:module';`,
      `import { enableCompileCache } from ${JSON.stringify(helper)};`,
      `const on = enableCompileCache();`,
      `const { answer } = await import('./later.ts');`,
      `flushCompileCache();`,
      `process.stdout.write(JSON.stringify({ on, answer, dir: getCompileCacheDir() ?? null }));`,
    ].join('\n'),
  );
  const { NODE_COMPILE_CACHE: _inherited, ...base } = process.env;
  const child = spawnSync(process.execPath, [join(dir, 'entry.ts')], {
    env: { ...base, ...(named ? { NODE_COMPILE_CACHE: cache } : {}), ...env },
    encoding: 'utf8',
  });
  expect(child.stderr).not.toMatch(/Error/);
  const files = await readdir(cache, { recursive: true }).catch(() => []);
  return { ...(JSON.parse(child.stdout) as { on: boolean; answer: number; dir: string | null }), files };
}

describe('compile cache', () => {
  it("turns itself on in the checkout's .cache/node-compile when the environment names no folder", async () => {
    const { on, answer, dir } = await run({}, false);
    expect(on).toBe(true);
    expect(answer).toBe(42);
    expect(dir?.startsWith(`${COMPILE_CACHE_DIR}/`)).toBe(true); // a folder per Node version within
  });

  it('keeps the compiled code of the modules imported after it is on in the folder NODE_COMPILE_CACHE names', async () => {
    const { on, answer, files } = await run({});
    expect(on).toBe(true);
    expect(answer).toBe(42);
    expect(files.length).toBeGreaterThan(0);
  });

  it('stays off with NODE_DISABLE_COMPILE_CACHE', async () => {
    const { on, answer, files } = await run({ NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(on).toBe(false);
    expect(answer).toBe(42);
    expect(files).toEqual([]);
  });
});
