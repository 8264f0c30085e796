// The V8 flags STING's processes run with: `ops/bin/sting start` gives the launcher the same list as NODE_FLAGS
// (the launcher hands that to each subgraph process), and with them a busy process's young generation stays
// within 16 MB semi-spaces where Node's default grows to 64 MB.
import { describe, it, expect } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NODE_FLAGS } from '../src/runtime/node-flags.ts';

const script = readFileSync(fileURLToPath(new URL('../../../ops/bin/sting', import.meta.url)), 'utf8');

/** The largest young generation a process reaches while allocating short-lived objects, in MB. */
function youngGenerationMb(flags: readonly string[]): number {
  const program = [
    `const v8 = require('node:v8');`,
    `let keep = []; let most = 0;`,
    `for (let i = 0; i < 3e6; i++) { keep.push({ i, s: 'x' + i }); if (keep.length > 200000) keep = [];`,
    `  if (i % 100000 === 0) most = Math.max(most, v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size); }`,
    `process.stdout.write(String(most / 1048576));`,
  ].join('\n');
  const child = spawnSync(process.execPath, [...flags, '-e', program], { encoding: 'utf8' });
  expect(child.status).toBe(0);
  return Number(child.stdout);
}

describe('node flags', () => {
  it('are the ones ops/bin/sting starts the launcher with', () => {
    const listed = /^NODE_FLAGS="([^"]*)"$/m.exec(script);
    expect(listed?.[1].split(' ')).toEqual([...NODE_FLAGS]);
    expect(script).toMatch(/start\) .*exec node \$NODE_FLAGS ops\/src\/launch\.ts/);
  });

  it("keep the young generation within the flags' bound, where the default grows past it", () => {
    const bounded = youngGenerationMb(NODE_FLAGS);
    // Two 16 MB semi-spaces, plus the few whole pages V8 counts beyond them (32 to 34.75 MB seen); the default
    // grows to 128 MB.
    expect(bounded).toBeLessThan(2 * 16 + 8);
    expect(youngGenerationMb([])).toBeGreaterThan(2 * bounded);
  });
});
