// Builds the playground's static assets (GraphiQL, React, Monaco and its workers) from npm with esbuild, so the
// page works offline. A build step, not runtime code: esbuild, React and GraphiQL are development dependencies,
// and the gateway only serves what this wrote. The output is not committed: `npm run build:playground`, `npm
// start` and the test setup rebuild it whenever it is missing or the sources or package versions changed.
import { createHash } from 'node:crypto';
import * as esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PLAYGROUND_OUT_DIR, readManifest, type PlaygroundManifest } from '../src/playground/assets.ts';

export { PLAYGROUND_OUT_DIR };
const BROWSER_DIR = new URL('../src/playground/browser/', import.meta.url);
const require = createRequire(import.meta.url);

/** Packages whose versions decide what the bundle contains. */
const BUNDLED_PACKAGES = [
  'graphiql',
  '@graphiql/react',
  '@graphiql/toolkit',
  'react',
  'react-dom',
  'monaco-editor',
  'monaco-graphql',
  'graphql',
  'graphql-ws',
  'esbuild',
];

async function packageVersion(name: string): Promise<string> {
  try {
    const entry = require.resolve(`${name}/package.json`);
    return (JSON.parse(await readFile(entry, 'utf8')) as { version: string }).version;
  } catch {
    return 'missing';
  }
}

/** Changes whenever a bundled package's version, the browser sources or this build recipe change. */
export async function playgroundFingerprint(): Promise<string> {
  const hash = createHash('sha256');
  for (const name of BUNDLED_PACKAGES) hash.update(`${name}@${await packageVersion(name)}\n`);
  for (const file of (await readdir(BROWSER_DIR)).sort()) {
    hash.update(file).update(await readFile(new URL(file, BROWSER_DIR)));
  }
  hash.update(await readFile(new URL(import.meta.url)));
  return hash.digest('hex').slice(0, 16);
}

/** Bundles into a scratch directory and swaps it in whole, so a half-written bundle is never served. */
export async function buildPlayground(outDir: URL = PLAYGROUND_OUT_DIR): Promise<PlaygroundManifest> {
  const fingerprint = await playgroundFingerprint();
  const target = fileURLToPath(outDir).replace(/\/$/, '');
  const scratch = `${target}.building-${process.pid}-${Date.now()}`;
  await mkdir(scratch, { recursive: true });
  const common = {
    bundle: true,
    minify: true,
    platform: 'browser',
    target: 'es2022',
    outdir: scratch,
    logLevel: 'error',
    legalComments: 'external',
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
  } as const;
  try {
    await Promise.all([
      esbuild.build({
        ...common,
        format: 'esm',
        entryPoints: {
          playground: fileURLToPath(new URL('main.ts', BROWSER_DIR)),
          graphiql: require.resolve('graphiql/style.css'),
        },
      }),
      // Workers load as classic scripts, so they are self-contained IIFEs.
      esbuild.build({
        ...common,
        format: 'iife',
        entryPoints: {
          'editor.worker': require.resolve('monaco-editor/esm/vs/editor/editor.worker.js'),
          'json.worker': require.resolve('monaco-editor/esm/vs/language/json/json.worker.js'),
          'graphql.worker': require.resolve('monaco-graphql/esm/graphql.worker.js'),
        },
      }),
    ]);
    const files = (await readdir(scratch)).sort();
    const manifest: PlaygroundManifest = { fingerprint, builtAt: new Date().toISOString(), files };
    await writeFile(`${scratch}/manifest.json`, JSON.stringify(manifest, null, 2));
    await rm(target, { recursive: true, force: true });
    await rename(scratch, target).catch(async (err: NodeJS.ErrnoException) => {
      // Another process swapped in its own build of the same sources first; theirs is as good as ours.
      if (err.code !== 'ENOTEMPTY' && err.code !== 'EEXIST') throw err;
    });
    return manifest;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

let ready: Promise<PlaygroundManifest> | undefined;

/** The current bundle's manifest, building it first when it is missing or stale; at most once per process. */
export function ensurePlaygroundBuilt(outDir: URL = PLAYGROUND_OUT_DIR): Promise<PlaygroundManifest> {
  const run = async () => {
    const [manifest, fingerprint] = await Promise.all([readManifest(outDir), playgroundFingerprint()]);
    return manifest?.fingerprint === fingerprint ? manifest : buildPlayground(outDir);
  };
  if (outDir !== PLAYGROUND_OUT_DIR) return run();
  ready ??= run().catch((err: unknown) => {
    ready = undefined; // let a later request try again
    throw err;
  });
  return ready;
}
