// `npm start` as a person runs it, for tests: the launcher as its own process with a config file of the test's
// own in a temporary folder (its .data/ there too), its output collected, and the admin signed in once it is up.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@sting/ops/services/readiness.ts';
import { ADMIN, graphql, waitFor } from './platform.ts';

export const repo = fileURLToPath(new URL('../..', import.meta.url));

export interface LaunchedPlatform {
  process: ChildProcess;
  /** the temporary folder holding config.yml and .data/ */
  dir: string;
  url: string;
  /** the admin's session token */
  token: string;
  /** everything the launcher has printed so far */
  output(): string;
  /** SIGTERM, then the exit code; the folder is removed */
  stop(): Promise<number | null>;
}

export async function launchPlatform(options: {
  topology: 'embedded' | 'distributed';
  config: Record<string, unknown>;
  env: NodeJS.ProcessEnv;
}): Promise<LaunchedPlatform> {
  const dir = mkdtempSync(join(tmpdir(), `sting-${options.topology}-`));
  writeFileSync(
    join(dir, 'config.yml'),
    JSON.stringify({
      ...options.config,
      gateway: {
        supergraph: join(repo, 'schema', 'supergraph.graphql'),
        ...(options.config.gateway as object | undefined),
      },
      security: { keysDir: '.data/keys' },
    }),
  );
  const child = spawn(process.execPath, [join(repo, 'ops', 'src', 'launch.ts')], {
    env: {
      ...process.env,
      STING_CONFIG: join(dir, 'config.yml'),
      STING_TOPOLOGY: options.topology,
      STING_PORT: String(await freePort()),
      STING_LOG_LEVEL: 'warn',
      STING_ADMIN_EMAIL: ADMIN.email,
      STING_ADMIN_PASSWORD: ADMIN.password,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const code = await exited;
    rmSync(dir, { recursive: true, force: true });
    return code;
  };
  await waitFor(() => /STING is up/.test(output) || child.exitCode !== null, 150_000).catch(() => undefined);
  const url = /STING is up in \d+ms: (\S+)/.exec(output)?.[1] ?? '';
  if (!url) {
    await stop();
    throw new Error(`the launcher did not come up:\n${output}`);
  }
  const login = await graphql(
    url,
    'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
    { e: ADMIN.email, p: ADMIN.password },
  );
  if (login.errors) throw new Error(`login failed: ${JSON.stringify(login.errors)}`);
  return { process: child, dir, url, token: login.data.login.token, output: () => output, stop };
}

/** A write for outage load: creates a honey jar, returns its id (undefined when refused). */
export async function createHoneyJar(url: string, token: string, name: string): Promise<string | undefined> {
  const created = await graphql(
    url,
    'mutation ($n: String!) { createHoneyJar(input: { name: $n }) { id } }',
    { n: name },
    token,
  );
  return created.data?.createHoneyJar?.id;
}
