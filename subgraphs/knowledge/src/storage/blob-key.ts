// The blob store's AES-256 key comes from the secrets provider: `knowledge.storage.key` is a reference (a local
// keystore entry by default, or `vault:PATH#KEY`), created in the local keystore on first use when absent.
import { resolveKeyMaterial, type StingConfig } from '@sting/kit';
import { BlobStore } from './blob-store.ts';
import { resolve } from 'node:path';

/** The keystore entry created when `knowledge.storage.key` names nothing yet. */
export const DEFAULT_KEY_NAME = 'knowledge-storage-key';

type KeyConfig = Pick<StingConfig, 'knowledge' | 'secrets' | 'root'>;

export async function resolveBlobKey(
  config: KeyConfig,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Buffer> {
  return resolveKeyMaterial({
    value: config.knowledge?.storage?.key,
    configKey: 'knowledge.storage.key',
    keystoreName: DEFAULT_KEY_NAME,
    secrets: config.secrets,
    env,
  });
}

/** The platform's blob store as configured (the directory relative to the config file). */
export async function openBlobStore(config: KeyConfig): Promise<BlobStore> {
  return new BlobStore(resolve(config.root, config.knowledge.storage.dir), await resolveBlobKey(config));
}
