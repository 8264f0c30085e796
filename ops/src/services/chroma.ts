// Chroma for the embedded topology: `chroma run` from the chromadb package's CLI (a Rust server inside a
// native Node binding), data under dataDir, on 127.0.0.1. On an older glibc it runs through a private newer one.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { withFileLock } from './file-lock.ts';
import { ensurePrivateGlibc, isOlder, systemGlibcVersion } from './glibc.ts';
import { isPortOpen, waitUntilReady } from './readiness.ts';
import { superviseProcess } from './supervised-process.ts';
import { reusedService, startedService, type RunningService, type ServiceLog } from './running-service.ts';

export type ChromaOptions = {
  /** an existing server: nothing is started */
  url?: string;
  port: number;
  dataDir: string;
  logDir: string;
  /** where the private glibc is kept (.cache) */
  cacheDir: string;
  log?: ServiceLog;
};

// The oldest glibc the Linux binding (chromadb-js-bindings-linux-*-gnu) links against.
const bindingGlibc = '2.39';

export async function startChroma(options: ChromaOptions): Promise<RunningService> {
  const log = options.log ?? (() => undefined);
  if (options.url) return reusedService('Chroma', options.url);
  const dataDir = resolve(options.dataDir);
  const url = `http://127.0.0.1:${options.port}`;
  return withFileLock(`${dataDir}.lock`, 300_000, async () => {
    if (await heartbeat(url)) return reusedService('Chroma', url);
    if (await isPortOpen(options.port)) {
      throw new Error(
        `Chroma: port ${options.port} is taken by a program that is not Chroma; set chroma.embedded.port or CHROMA_URL`,
      );
    }
    const initialised = !existsSync(join(dataDir, 'chroma.sqlite3'));
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const cli = chromaCli();
    const configFile = writeServerConfig(dataDir, options.port);
    const chromaArgs = [cli, 'run', configFile];
    const [command, args] = await nodeCommand(chromaArgs, options.cacheDir, log);
    const logFile = join(options.logDir, 'chroma.log');
    const child = superviseProcess({
      name: 'Chroma',
      command,
      args,
      logFile,
      // Chroma logs several lines for every request at its default level (info): warnings and errors only,
      // unless RUST_LOG says otherwise.
      env: { RUST_LOG: 'warn', ...process.env, ANONYMIZED_TELEMETRY: 'False', NO_COLOR: '1' },
      // On SIGTERM the Rust server shuts down and logs it, but the hosting Node process never exits (it
      // spins): a short grace then SIGKILL is the reliable stop, and SIGKILL is the death signal too.
      stopSignal: 'SIGTERM',
      deathSignal: 'SIGKILL',
      graceMs: 2_000,
    });
    await waitUntilReady('Chroma', () => heartbeat(url), { timeoutMs: 45_000, process: child, logFile });
    return startedService('Chroma', url, initialised, child);
  });
}

/**
 * The server's configuration, written beside its data (`<dataDir>.config.yaml`) and given to `chroma run`. What
 * `chroma run --path` would use, but with Chroma's cache of collections and their segments on: without it every
 * request looks its collection up in Chroma's catalogue (SQLite) first, about 1.3 ms of Chroma's CPU even for a
 * count, and a search over many jars asks many collections. A single Chroma is the only writer of its catalogue
 * and drops an entry when it changes or deletes that collection; the time limit is Chroma's own default.
 */
function writeServerConfig(dataDir: string, port: number): string {
  const file = `${dataDir}.config.yaml`;
  const config = {
    persist_path: dataDir,
    port,
    listen_address: '127.0.0.1',
    stdout_tracing: true,
    collections_with_segments_provider: {
      cache: { lru: { name: 'collections_with_segments_cache', capacity: 10_000 } },
      cache_ttl_secs: 60,
      permitted_parallelism: 100,
    },
  };
  // JSON is YAML.
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  return file;
}

/** The package's CLI script, which its exports map does not name (so it is found beside the entry point). */
function chromaCli(): string {
  const entry = createRequire(import.meta.url).resolve('chromadb');
  return join(entry.slice(0, entry.lastIndexOf('/dist/')), 'dist', 'cli.mjs');
}

export async function heartbeat(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/api/v2/heartbeat`, { signal: AbortSignal.timeout(1000) });
    const body = (await response.json()) as Record<string, unknown>;
    return response.ok && 'nanosecond heartbeat' in body;
  } catch {
    return false;
  }
}

/** `node <args>`, or the same through a private glibc's loader when the system's is too old for the binding. */
async function nodeCommand(args: string[], cacheDir: string, log: ServiceLog): Promise<[string, string[]]> {
  const system = systemGlibcVersion();
  if (process.platform !== 'linux' || !system || !isOlder(system, bindingGlibc))
    return [process.execPath, args];
  if (process.arch !== 'x64') {
    throw new Error(
      `Chroma needs glibc >= ${bindingGlibc} (this system has ${system}); set CHROMA_URL to a Chroma server`,
    );
  }
  const glibc = await ensurePrivateGlibc(cacheDir, bindingGlibc, log);
  return [glibc.loader, ['--library-path', glibc.libraryPath, process.execPath, ...args]];
}
