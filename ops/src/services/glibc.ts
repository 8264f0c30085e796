// A newer glibc for one process, without touching the system's: Chroma's native binding needs glibc >= 2.39 and
// Debian 12 ships 2.36. We fetch libc6 from the next Debian release with apt under private state directories
// (.cache/apt/: its own sources.list, package lists and archive cache; the system's apt state is untouched),
// unpack it with dpkg-deb into .cache/glibc-<version>/, and start that one process through the new loader:
//   <cache>/usr/lib64/ld-linux-x86-64.so.2 --library-path <cache>/usr/lib/x86_64-linux-gnu <node> <script>
// libstdc++ and libgcc_s still come from the system: the binding needs no newer ones than Debian 12 has.
// Downloaded once; a lock keeps two concurrent starts from fetching at the same time.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withFileLock } from './file-lock.ts';
import { APT_MAX_MS, APT_NETWORK_OPTIONS } from './system-package.ts';
import type { ServiceLog } from './running-service.ts';

/** How to run a program against the private glibc. */
export type GlibcRuntime = { version: string; loader: string; libraryPath: string };

const suite = process.env.STING_GLIBC_SUITE ?? 'trixie';
const mirror = process.env.STING_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';
const packages = ['libc6'];
const keyring = '/usr/share/keyrings/debian-archive-keyring.gpg';
const readyMark = '.complete';

/** The system's glibc version ("2.36"), or undefined when the C library is not glibc. */
export function systemGlibcVersion(): string | undefined {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)
    ?.header;
  return header?.glibcVersionRuntime;
}

export function isOlder(version: string, than: string): boolean {
  const [a, b] = [version, than].map((v) => v.split('.').map(Number));
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  }
  return false;
}

export async function ensurePrivateGlibc(
  cacheDir: string,
  minimum: string,
  log: ServiceLog,
): Promise<GlibcRuntime> {
  const cached = findCached(cacheDir, minimum);
  if (cached) return cached;
  return withFileLock(join(cacheDir, 'glibc.lock'), 300_000, async () => {
    const again = findCached(cacheDir, minimum);
    if (again) return again;
    for (const tool of ['apt-get', 'dpkg-deb']) {
      if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) {
        throw new Error(
          `Chroma needs glibc >= ${minimum}; fetching it needs ${tool} (Debian/Ubuntu), which is missing`,
        );
      }
    }
    if (!existsSync(keyring)) throw new Error(`Chroma needs glibc >= ${minimum}; ${keyring} is missing`);
    log(
      `Chroma: the system glibc ${systemGlibcVersion()} is older than ${minimum}; fetching libc6 from Debian ${suite}`,
    );
    const apt = aptDirectories(cacheDir);
    await run('apt-get', [...apt.options, 'update'], cacheDir);
    const downloads = join(cacheDir, 'apt', 'downloads');
    rmSync(downloads, { recursive: true, force: true });
    mkdirSync(downloads, { recursive: true });
    await run('apt-get', [...apt.options, 'download', ...packages], downloads);
    const debs = readdirSync(downloads).filter((file) => file.endsWith('.deb'));
    const libc = debs.find((file) => file.startsWith('libc6_'));
    if (!libc) throw new Error(`Chroma: apt-get download libc6 produced no package in ${downloads}`);
    const version = (await run('dpkg-deb', ['-f', join(downloads, libc), 'Version'], downloads)).trim();
    const target = join(cacheDir, `glibc-${version}`);
    const staging = `${target}.partial`;
    rmSync(staging, { recursive: true, force: true });
    for (const deb of debs) await run('dpkg-deb', ['-x', join(downloads, deb), staging], downloads);
    writeFileSync(join(staging, readyMark), `${suite} ${debs.join(' ')}\n`);
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
    rmSync(downloads, { recursive: true, force: true });
    const runtime = runtimeAt(target, version);
    if (!runtime)
      throw new Error(`Chroma: ${target} holds no x86-64 loader after unpacking libc6 ${version}`);
    log(`Chroma: glibc ${version} cached in ${target}`);
    return runtime;
  });
}

function aptDirectories(cacheDir: string): { options: string[] } {
  const root = join(cacheDir, 'apt');
  for (const dir of ['lists/partial', 'archives/partial']) mkdirSync(join(root, dir), { recursive: true });
  const sources = join(root, 'sources.list');
  writeFileSync(sources, `deb [signed-by=${keyring}] ${mirror} ${suite} main\n`);
  const options = {
    'Dir::Etc::sourcelist': sources,
    'Dir::Etc::sourceparts': '-',
    'Dir::State::Lists': join(root, 'lists'),
    'Dir::Cache': root,
    'Dir::Cache::archives': join(root, 'archives'),
    'APT::Get::List-Cleanup': '0',
    // apt drops to the _apt user for downloads, which cannot write into a checkout owned by root
    'APT::Sandbox::User': process.getuid?.() === 0 ? 'root' : '',
  };
  return {
    options: [
      ...APT_NETWORK_OPTIONS,
      ...Object.entries(options)
        .filter(([, value]) => value !== '')
        .flatMap(([key, value]) => ['-o', `${key}=${value}`]),
    ],
  };
}

function findCached(cacheDir: string, minimum: string): GlibcRuntime | undefined {
  if (!existsSync(cacheDir)) return undefined;
  const versions = readdirSync(cacheDir)
    .filter((name) => name.startsWith('glibc-') && !name.endsWith('.partial') && !name.endsWith('.lock'))
    .map((name) => name.slice('glibc-'.length))
    .filter((version) => !isOlder(version.split('-')[0] as string, minimum))
    .filter((version) => existsSync(join(cacheDir, `glibc-${version}`, readyMark)));
  const base = (version: string) => version.split('-')[0] as string;
  const newest = versions.sort((a, b) => (isOlder(base(a), base(b)) ? 1 : -1))[0];
  return newest ? runtimeAt(join(cacheDir, `glibc-${newest}`), newest) : undefined;
}

function runtimeAt(dir: string, version: string): GlibcRuntime | undefined {
  const loader = ['usr/lib64/ld-linux-x86-64.so.2', 'lib64/ld-linux-x86-64.so.2']
    .map((path) => join(dir, path))
    .find((path) => existsSync(path));
  const libraryPath = join(dir, 'usr/lib/x86_64-linux-gnu');
  return loader && existsSync(join(libraryPath, 'libc.so.6')) ? { version, loader, libraryPath } : undefined;
}

/** Runs a tool without blocking the event loop (the other services start meanwhile); its stdout on success. */
async function run(command: string, args: string[], cwd: string): Promise<string> {
  const env = { ...process.env, LC_ALL: 'C' };
  try {
    // Bounded like every apt-get of the platform's (system-package.ts): a stalled mirror fails the start.
    return (await promisify(execFile)(command, args, { cwd, env, maxBuffer: 16 << 20, timeout: APT_MAX_MS }))
      .stdout;
  } catch (error) {
    const { code, killed, stdout, stderr, message } = error as {
      code?: number;
      killed?: boolean;
      stdout?: string;
      stderr?: string;
      message: string;
    };
    const output = `${stdout ?? ''}${stderr ?? message}`.trim().split('\n').slice(-12).join('\n');
    throw new Error(
      `Chroma: \`${command} ${args.slice(-2).join(' ')}\` failed (${killed ? `stopped after ${APT_MAX_MS / 60_000} minutes` : (code ?? message)}):\n${output}`,
      {
        cause: error,
      },
    );
  }
}
