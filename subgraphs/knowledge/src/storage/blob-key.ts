// The blob store's AES-256 key comes from the secrets provider: `knowledge.storage.key` is a reference (a local
// keystore entry by default, or `vault:PATH#KEY`), resolved when the configuration is loaded. On the first start
// with the local keystore and no entry yet, a random key is created in the keystore, so it never sits in a file
// of its own and a Vault deployment supplies its own.
import { createHash, randomBytes } from 'node:crypto';
import { ConfigError, LocalKeystore, type StingConfig } from '@sting/kit';
import { BlobStore } from './blob-store.ts';
import { resolve } from 'node:path';

/** The keystore entry created when `knowledge.storage.key` names nothing yet. */
export const DEFAULT_KEY_NAME = 'knowledge-storage-key';

type KeyConfig = Pick<StingConfig, 'knowledge' | 'secrets' | 'root'>;

/** 64 hex digits are used as the key itself; any other secret string is stretched to 32 bytes by SHA-256. */
function keyFromSecret(value: string): Buffer {
  return /^[0-9a-f]{64}$/i.test(value)
    ? Buffer.from(value, 'hex')
    : createHash('sha256').update(value).digest();
}

export async function resolveBlobKey(
  config: KeyConfig,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Buffer> {
  const value = config.knowledge?.storage?.key;
  if (value) return keyFromSecret(value);
  if (config.secrets?.provider !== 'local') {
    throw new ConfigError(
      'knowledge.storage.key: the secret it names does not exist; store a random 64-hex-digit key there',
      'knowledge.storage.key',
    );
  }
  const keystore = await LocalKeystore.open({
    path: config.secrets.keystore,
    keyFile: config.secrets.keyFile,
    key: env.STING_KEYSTORE_KEY || undefined,
    env,
  });
  const existing = await keystore.get(`keystore:${DEFAULT_KEY_NAME}`).catch(() => null);
  if (existing) return keyFromSecret(existing);
  const created = randomBytes(32).toString('hex');
  await keystore.set(DEFAULT_KEY_NAME, created);
  return keyFromSecret(created);
}

/** The platform's blob store as configured (the directory relative to the config file). */
export async function openBlobStore(config: KeyConfig): Promise<BlobStore> {
  return new BlobStore(resolve(config.root, config.knowledge.storage.dir), await resolveBlobKey(config));
}
