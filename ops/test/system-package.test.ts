// A command STING takes from Debian's packages: found on the PATH, else installed with apt-get, whose stalls are
// bounded. apt-get here is a stand-in script first on the PATH that logs its arguments and "installs" the command
// into a folder on the PATH, failing an install until `update` has run, as on a machine with no package lists yet;
// it is used whether or not this machine could install packages itself (root on Debian).
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ensureSystemCommand, findOnPath, type SystemCommand } from '../src/services/system-package.ts';

describe('a command from Debian packages', () => {
  let dir: string;
  let path: string | undefined;
  let wanted: SystemCommand;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sting-apt-'));
    path = process.env.PATH;
    const name = `sting-stand-in-${process.pid}-${Date.now()}`;
    wanted = { command: name, aptPackage: `${name}-package`, what: 'The stand-in', hint: 'Install it.' };
    const apt = join(dir, 'apt-get');
    writeFileSync(
      apt,
      [
        '#!/bin/sh',
        `echo "$*" >> "${dir}/calls"`,
        'case " $* " in',
        `  *" update "*) touch "${dir}/lists"; exit 0 ;;`,
        `  *" install "*)`,
        `    [ "$STAND_IN_APT" = stall ] && exec sleep 30`,
        `    [ -f "${dir}/lists" ] || { echo "E: Unable to locate package ${wanted.aptPackage}" >&2; exit 100; }`,
        `    printf '#!/bin/sh\\n' > "${dir}/${name}"; chmod +x "${dir}/${name}"; exit 0 ;;`,
        'esac',
        'exit 1',
      ].join('\n'),
    );
    chmodSync(apt, 0o755);
    process.env.PATH = `${dir}:${path}`;
  });

  afterEach(() => {
    process.env.PATH = path;
    delete process.env.STAND_IN_APT;
    rmSync(dir, { recursive: true, force: true });
  });

  const calls = () =>
    existsSync(join(dir, 'calls')) ? readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n') : [];

  it('is taken from the PATH when there, without apt', async () => {
    expect(await ensureSystemCommand({ ...wanted, command: 'sh' })).toBe(findOnPath('sh'));
    expect(calls()).toEqual([]);
  });

  it('is installed when missing, the package lists fetched first on a machine that has none, with apt bounded', async () => {
    const said: string[] = [];
    expect(await ensureSystemCommand(wanted, (line) => said.push(line), { useApt: true })).toBe(
      join(dir, wanted.command),
    );
    expect(said).toEqual([`The stand-in: ${wanted.command} is missing; installing it with apt-get`]);
    const made = calls();
    expect(
      made.map((call) => call.split(' ').filter((word) => !word.includes('=') && word !== '-o')),
    ).toEqual([
      ['install', '-y', '--no-install-recommends', wanted.aptPackage],
      ['update'],
      ['install', '-y', '--no-install-recommends', wanted.aptPackage],
    ]);
    for (const call of made)
      for (const bound of ['Acquire::Retries=3', 'Acquire::http::Timeout=30', 'DPkg::Lock::Timeout=120'])
        expect(call).toContain(bound);
  });

  it('stops an apt-get that stalls, and says so', async () => {
    process.env.STAND_IN_APT = 'stall';
    const installing = ensureSystemCommand(wanted, undefined, { aptMaxMs: 300, useApt: true });
    await expect(installing).rejects.toThrow(`The stand-in: apt-get install ${wanted.aptPackage} failed`);
    // Stopped at its bound, each try: a stall of 30 s each would outlast the test's own time limit.
    await expect(installing).rejects.toThrow(
      `apt-get install -y --no-install-recommends ${wanted.aptPackage} was stopped after 0.3 s`,
    );
  });

  it('without root or apt, says what to install', async () => {
    await expect(ensureSystemCommand(wanted, undefined, { useApt: false })).rejects.toThrow(
      `The stand-in: ${wanted.command} is not installed. Install it.`,
    );
  });
});
