// `ops/bin/sting deps` on a machine whose registry stalls or refuses: npm's fetches are bounded and retried, the
// whole install is stopped at its bound (STING_NPM_INSTALL_SECONDS) and tried once more, and a second failure ends
// the command with a message. The script runs for real, from a copy in a folder of its own (a package-lock.json and
// no node_modules, as in a fresh clone), with a stand-in `npm` first on the PATH that logs how it was called.
import { spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from '@jest/globals';

const script = fileURLToPath(new URL('../bin/sting', import.meta.url));

describe('sting deps', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  /** Runs `sting deps` in a fresh copy; the stand-in npm behaves per call as `plan` says (stall, fail or ok). */
  async function deps(plan: ('stall' | 'fail' | 'ok')[]) {
    dir = mkdtempSync(join(tmpdir(), 'sting-deps-'));
    const project = join(dir, 'project');
    mkdirSync(join(project, 'ops', 'bin'), { recursive: true });
    copyFileSync(script, join(project, 'ops', 'bin', 'sting'));
    writeFileSync(join(project, 'package-lock.json'), '{}');
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(dir, 'plan'), plan.join('\n') + '\n');
    writeFileSync(
      join(bin, 'npm'),
      [
        '#!/bin/sh',
        `echo "$* ONNXRUNTIME_NODE_INSTALL=$ONNXRUNTIME_NODE_INSTALL" >> "${dir}/calls"`,
        `step=$(head -n 1 "${dir}/plan"); sed -i 1d "${dir}/plan"`,
        'case "$step" in',
        '  stall) exec sleep 30 ;;',
        '  fail) echo "npm error network request failed" >&2; exit 1 ;;',
        '  *) mkdir -p node_modules; exit 0 ;;',
        'esac',
      ].join('\n'),
    );
    chmodSync(join(bin, 'npm'), 0o755);
    const child = spawn('bash', [join(project, 'ops', 'bin', 'sting'), 'deps'], {
      cwd: project,
      // The test's own Node (24) comes first after the stand-in, so no Node is provisioned.
      env: {
        ...process.env,
        PATH: `${bin}:${dirname(process.execPath)}:/usr/bin:/bin`,
        STING_NPM_INSTALL_SECONDS: '2',
      },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    const calls = existsSync(join(dir, 'calls'))
      ? readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n')
      : [];
    return {
      code,
      stderr,
      calls,
      installed: existsSync(join(project, 'node_modules', '.sting-install-stamp')),
    };
  }

  it('installs with npm ci, every fetch bounded and retried, with onnxruntime-node told not to fetch CUDA', async () => {
    const { code, stderr, calls, installed } = await deps(['ok']);
    expect(code).toBe(0);
    expect(calls).toEqual([
      'ci --no-audit --no-fund --fetch-timeout=60000 --fetch-retries=5 ONNXRUNTIME_NODE_INSTALL=skip',
    ]);
    expect(stderr).toMatch(/\[sting\] npm dependencies installed in \d+ s/);
    expect(installed).toBe(true);
  });

  it('stops an install that stalls at its bound and tries once more', async () => {
    const { code, stderr, calls, installed } = await deps(['stall', 'ok']);
    expect(code).toBe(0);
    expect(calls).toHaveLength(2);
    expect(stderr).toContain('[sting] installing npm dependencies failed or took over 2 s; trying once more');
    expect(installed).toBe(true);
  }, 20_000);

  it('gives up after a second failure, saying so, and leaves no stamp of an install', async () => {
    const { code, stderr, calls, installed } = await deps(['fail', 'stall']);
    expect(code).toBe(1);
    expect(calls).toHaveLength(2);
    expect(stderr).toContain('npm error network request failed');
    expect(stderr).toContain('[sting] installing npm dependencies failed twice');
    expect(installed).toBe(false);
  }, 20_000);
});
