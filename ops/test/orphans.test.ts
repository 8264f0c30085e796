// A launcher killed outright (SIGKILL: no handler runs) must not leave its services behind: the kernel's
// parent-death signal ends them.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isProcessAlive } from '../src/services/readiness.ts';
import { eventually, freePort, scratchDir } from './scratch.ts';

const scratch = scratchDir('orphans');
afterAll(() => scratch.remove());

describe('no orphan services', () => {
  it('Redis goes when the process that started it is killed', async () => {
    const redisModule = fileURLToPath(new URL('../src/services/redis.ts', import.meta.url));
    const options = {
      port: await freePort(),
      dataDir: join(scratch.path, 'data'),
      logDir: join(scratch.path, 'logs'),
    };
    const script = `const { startRedis } = await import(${JSON.stringify(redisModule)});
const redis = await startRedis(${JSON.stringify(options)});
console.log(JSON.stringify({ pid: redis.pid }));
setInterval(() => {}, 1000);`;
    const launcher = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = (await once(launcher.stdout, 'data')) as [Buffer];
    const { pid } = JSON.parse(line.toString()) as { pid: number };
    expect(isProcessAlive(pid)).toBe(true);

    launcher.kill('SIGKILL');
    await once(launcher, 'exit');
    expect(await eventually(() => !isProcessAlive(pid), 10_000)).toBe(true);
  }, 60_000);
});
