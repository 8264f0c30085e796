// Encryption keys named by config: a given secret is used (hex as is, other text stretched), an absent one is
// created once in the local keystore and found there afterwards, and Vault deployments must supply their own.
import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { ConfigError, LocalKeystore, resolveKeyMaterial } from '../src/index.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sting-key-material-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function local(key: string) {
  return {
    secrets: { provider: 'local' as const, keystore: join(dir, 'keystore.enc'), keyFile: join(dir, 'k') },
    env: { STING_KEYSTORE_KEY: key },
  };
}

describe('resolveKeyMaterial', () => {
  it('uses 64 hex digits as the key and stretches any other secret with SHA-256', async () => {
    const hex = randomBytes(32).toString('hex');
    const common = { configKey: 'x.key', keystoreName: 'x-key', ...local(randomBytes(32).toString('hex')) };
    expect((await resolveKeyMaterial({ ...common, value: hex })).toString('hex')).toBe(hex);
    expect(await resolveKeyMaterial({ ...common, value: 'a passphrase' })).toEqual(
      createHash('sha256').update('a passphrase').digest(),
    );
  });

  it('creates a random key in the local keystore once and finds the same one afterwards', async () => {
    const options = {
      value: null,
      configKey: 'x.key',
      keystoreName: 'x-key',
      ...local(randomBytes(32).toString('hex')),
    };
    const first = await resolveKeyMaterial(options);
    expect(first).toHaveLength(32);
    expect((await resolveKeyMaterial(options)).equals(first)).toBe(true);
    const store = await LocalKeystore.open({
      ...options.secrets,
      path: options.secrets.keystore,
      key: options.env.STING_KEYSTORE_KEY,
    });
    expect(await store.get('keystore:x-key')).toBe(first.toString('hex'));
  });

  it('names the config key when Vault holds no key', async () => {
    const run = resolveKeyMaterial({
      value: '',
      configKey: 'identity.secondFactor.key',
      keystoreName: 'unused',
      secrets: { provider: 'vault', keystore: join(dir, 'k.enc'), keyFile: join(dir, 'k') },
    });
    await expect(run).rejects.toBeInstanceOf(ConfigError);
    await expect(run).rejects.toThrow(/identity\.secondFactor\.key/);
  });
});
