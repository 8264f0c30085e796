// `node ops/src/system-packages.ts`: installs ahead what STING takes from Debian's packages (redis-server for the
// platform and the tests, chromium for the browser tests) when missing, saying how long each took, so that a run
// of the tests does not spend its setup or a test's time limit on apt. Without root or apt, it says what to install.
import { CHROMIUM, REDIS_SERVER, ensureSystemCommand, findOnPath } from './services/system-package.ts';

const say = (line: string) => process.stderr.write(`[system packages] ${line}\n`);
let failed = false;
for (const wanted of [REDIS_SERVER, CHROMIUM]) {
  const began = performance.now();
  const had = findOnPath(wanted.command) !== undefined;
  try {
    const path = await ensureSystemCommand(wanted, say);
    const seconds = Math.round((performance.now() - began) / 1000);
    say(`${wanted.command}: ${had ? 'present' : `installed in ${seconds} s`} (${path})`);
  } catch (error) {
    failed = true;
    say((error as Error).message);
  }
}
process.exit(failed ? 1 : 0);
