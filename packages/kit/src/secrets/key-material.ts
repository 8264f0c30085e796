// A 32-byte encryption key named by a config key that holds a secret reference (a local keystore entry by
// default, or `vault:PATH#KEY`), resolved when the configuration was loaded. On the first start with the local
// keystore and no entry yet, a random key is created in the keystore, so it never sits in a file of its own; a
// Vault deployment supplies its own. Used for the document blob store and for TOTP secrets.
import { createHash, randomBytes } from 'node:crypto';
import { ConfigError } from '../config/config-error.ts';
import type { StingConfig } from '../config/schema.ts';
import { LocalKeystore } from './local-keystore.ts';

export interface KeyMaterialOptions {
  /** The config key's resolved value: null or empty when the reference named nothing yet. */
  value: string | null | undefined;
  /** The config key, for the error when no key can be had (e.g. `knowledge.storage.key`). */
  configKey: string;
  /** The keystore entry created with a random key when the value is absent and the keystore is local. */
  keystoreName: string;
  secrets: Pick<StingConfig['secrets'], 'provider' | 'keystore' | 'keyFile'>;
  env?: NodeJS.ProcessEnv;
}

/** 64 hex digits are used as the key itself; any other secret string is stretched to 32 bytes by SHA-256. */
export function keyFromSecret(value: string): Buffer {
  return /^[0-9a-f]{64}$/i.test(value)
    ? Buffer.from(value, 'hex')
    : createHash('sha256').update(value).digest();
}

export async function resolveKeyMaterial(options: KeyMaterialOptions): Promise<Buffer> {
  const { value, configKey, keystoreName, secrets, env = process.env } = options;
  if (value) return keyFromSecret(value);
  if (secrets.provider !== 'local') {
    throw new ConfigError(
      `${configKey}: the secret it names does not exist; store a random 64-hex-digit key there`,
      configKey,
    );
  }
  const keystore = await LocalKeystore.open({
    path: secrets.keystore,
    keyFile: secrets.keyFile,
    key: env.STING_KEYSTORE_KEY || undefined,
    env,
  });
  const existing = await keystore.get(`keystore:${keystoreName}`).catch(() => null);
  if (existing) return keyFromSecret(existing);
  const created = randomBytes(32).toString('hex');
  await keystore.set(keystoreName, created);
  return keyFromSecret(created);
}
