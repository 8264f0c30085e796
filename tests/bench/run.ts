// `npm run bench`: runs every tests/bench/*.bench.ts (or those named in argv) one after another, each in its own
// Node process, and fails only when one crashes; figures are for reading, never asserted.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const all = readdirSync(here)
  .filter((file) => file.endsWith('.bench.ts'))
  .sort();
const wanted = process.argv.slice(2).map((arg) => basename(arg).replace(/(\.bench)?\.ts$/, ''));
const unknown = wanted.filter((name) => !all.includes(`${name}.bench.ts`));
if (unknown.length > 0) {
  process.stderr.write(`no such bench: ${unknown.join(', ')} (have: ${all.join(', ')})\n`);
  process.exit(2);
}
const chosen = wanted.length > 0 ? wanted.map((name) => `${name}.bench.ts`) : all;

function run(file: string): Promise<number | string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(here, file)], { stdio: 'inherit' });
    child.on('error', (err) => resolve(err.message));
    child.on('exit', (code, signal) => resolve(signal ?? code ?? 1));
  });
}

const failed: string[] = [];
for (const file of chosen) {
  process.stdout.write(`\n=== ${file}\n`);
  const began = performance.now();
  const outcome = await run(file);
  const seconds = ((performance.now() - began) / 1000).toFixed(1);
  if (outcome !== 0) failed.push(`${file} (${outcome})`);
  process.stdout.write(`=== ${file}: ${outcome === 0 ? 'done' : `crashed: ${outcome}`} in ${seconds}s\n`);
}
process.stdout.write(
  `\n${chosen.length - failed.length} ran, ${failed.length} crashed${failed.length ? `: ${failed.join(', ')}` : ''}\n`,
);
process.exit(failed.length > 0 ? 1 : 0);
