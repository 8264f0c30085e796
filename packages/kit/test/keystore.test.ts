// The local encrypted keystore on a real filesystem: round trips, wrong keys, tampering and file permissions.
import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalKeystore } from '../src/secrets/local-keystore.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sting-keystore-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const mode = async (path: string) => (await stat(path)).mode & 0o777;

describe('LocalKeystore', () => {
  it('round-trips secrets through the encrypted file with a key from the environment', async () => {
    const key = randomBytes(32).toString('base64');
    const path = join(dir, 'keystore.enc');
    const store = await LocalKeystore.open({ path, keyFile: join(dir, 'unused.key'), key });
    await store.set('jwt-signing', 'hunter2-very-secret');
    await store.set('smtp', 'p@ss word');

    const raw = await readFile(path, 'utf8');
    expect(raw).not.toContain('hunter2');
    expect(await mode(path)).toBe(0o600);

    const reopened = await LocalKeystore.open({ path, keyFile: join(dir, 'unused.key'), key });
    expect(await reopened.get('keystore:jwt-signing')).toBe('hunter2-very-secret');
    expect(await reopened.get('keystore:smtp')).toBe('p@ss word');
    expect(reopened.names().sort()).toEqual(['jwt-signing', 'smtp']);
    await expect(stat(join(dir, 'unused.key'))).rejects.toThrow(/ENOENT/);
  });

  it('accepts a hex key as well', async () => {
    const key = randomBytes(32).toString('hex');
    const path = join(dir, 'k.enc');
    await (await LocalKeystore.open({ path, keyFile: join(dir, 'x'), key })).set('a', 'value-a');
    expect(await (await LocalKeystore.open({ path, keyFile: join(dir, 'x'), key })).get('keystore:a')).toBe(
      'value-a',
    );
  });

  it('creates a 0600 key file on first start and reuses it', async () => {
    const path = join(dir, 'data', 'keystore.enc');
    const keyFile = join(dir, 'data', 'keystore.key');
    const first = await LocalKeystore.open({ path, keyFile });
    await first.set('db', 'pg-password-1');
    expect(await mode(keyFile)).toBe(0o600);
    expect(Buffer.from((await readFile(keyFile, 'utf8')).trim(), 'base64')).toHaveLength(32);
    const second = await LocalKeystore.open({ path, keyFile });
    expect(await second.get('keystore:db')).toBe('pg-password-1');
  });

  it('uses a fresh IV for every write', async () => {
    const path = join(dir, 'keystore.enc');
    const store = await LocalKeystore.open({ path, keyFile: join(dir, 'key') });
    await store.set('a', 'same-value');
    const before = JSON.parse(await readFile(path, 'utf8'));
    await store.set('a', 'same-value');
    const after = JSON.parse(await readFile(path, 'utf8'));
    expect(after.iv).not.toBe(before.iv);
    expect(after.data).not.toBe(before.data);
  });

  it('fails clearly with the wrong key instead of returning garbage', async () => {
    const path = join(dir, 'keystore.enc');
    const store = await LocalKeystore.open({
      path,
      keyFile: join(dir, 'k'),
      key: randomBytes(32).toString('base64'),
    });
    await store.set('a', 'value-a');
    await expect(
      LocalKeystore.open({ path, keyFile: join(dir, 'k'), key: randomBytes(32).toString('base64') }),
    ).rejects.toThrow(/keystore .*keystore\.enc cannot be decrypted with this key/);
  });

  it('detects a tampered file', async () => {
    const key = randomBytes(32).toString('base64');
    const path = join(dir, 'keystore.enc');
    await (await LocalKeystore.open({ path, keyFile: join(dir, 'k'), key })).set('a', 'value-a');
    const sealed = JSON.parse(await readFile(path, 'utf8'));
    const data = Buffer.from(sealed.data, 'base64');
    data[0] ^= 1;
    await writeFile(path, JSON.stringify({ ...sealed, data: data.toString('base64') }));
    await expect(LocalKeystore.open({ path, keyFile: join(dir, 'k'), key })).rejects.toThrow(
      /cannot be decrypted/,
    );
  });

  it('rejects a key of the wrong length', async () => {
    await expect(
      LocalKeystore.open({
        path: join(dir, 'a'),
        keyFile: join(dir, 'b'),
        key: randomBytes(16).toString('base64'),
      }),
    ).rejects.toThrow(/32 bytes/);
  });

  it('resolves env: and file: references and remembers every value handed out', async () => {
    const secretFile = join(dir, 'token');
    await writeFile(secretFile, 'file-secret-value\n');
    const store = await LocalKeystore.open({
      path: join(dir, 'ks'),
      keyFile: join(dir, 'kf'),
      env: { API_TOKEN: 'env-secret-value' },
    });
    await store.set('stored', 'stored-secret-value');
    expect(await store.get('env:API_TOKEN')).toBe('env-secret-value');
    expect(await store.get(`file:${secretFile}`)).toBe('file-secret-value');
    await expect(store.get('env:NOT_SET')).rejects.toMatchObject({ missing: true });
    await expect(store.get('keystore:absent')).rejects.toThrow(/no secret "absent"/);
    await expect(store.get('vault:secret/x#y')).rejects.toThrow(/secrets.provider: vault/);
    expect(store.knownValues().sort()).toEqual([
      'env-secret-value',
      'file-secret-value',
      'stored-secret-value',
    ]);
  });
});
