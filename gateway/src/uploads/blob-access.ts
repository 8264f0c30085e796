// The gateway streams document bytes straight into (and out of) knowledge's encrypted blob store on the same disk,
// so a 50 MB upload never passes through GraphQL; what the bytes become is still decided by knowledge
// (completeUpload inspects them). The store is opened once, from the platform configuration the gateway runs with.
import type { StingConfig } from '@sting/kit/config/index.ts';
import type { BlobStore } from '@sting/knowledge/storage/blob-store.ts';
import type { HttpRouteDeps } from '../http-routes.ts';

export type BlobStoreSource = () => Promise<BlobStore>;

export function blobStoreFrom(deps: HttpRouteDeps): BlobStoreSource {
  let store: Promise<BlobStore> | null = null;
  // main.ts hands the whole platform configuration as `settings`; only its knowledge, secrets and root are read.
  const config = deps.settings as unknown as StingConfig;
  return () => {
    // Loaded on first use: the key's secrets provider (Vault client included) stays out of gateways that never
    // store a document, such as generic mode.
    store ??= import('@sting/knowledge/storage/blob-key.ts').then(({ openBlobStore }) =>
      openBlobStore(config),
    );
    store.catch(() => (store = null));
    return store;
  };
}
