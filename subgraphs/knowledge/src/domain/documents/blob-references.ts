// A blob is shared by every document with its bytes, in any jar, and is removed when the last of them goes. Adding
// a document that uses a blob and removing a blob nobody uses both hold the blob's lock until their transaction
// commits: a deletion counting the blob's documents while the same bytes are being uploaded elsewhere either sees
// the new document (and keeps the blob) or removes the blob before the upload looks for it (and stores its own).
import type { EntityManager } from '@mikro-orm/postgresql';
import { inTransaction, lockUntilCommit } from '@sting/kit';
import { Document } from '../../entities/document.ts';
import type { BlobStore } from '../../storage/blob-store.ts';

/** Held until `tx` commits: no blob of these bytes is removed, or counted for removal, meanwhile. */
export const lockBlob = (tx: EntityManager, contentHash: string): Promise<void> =>
  lockUntilCommit(tx, 'sting.knowledge.blob', contentHash);

/** Removes the blob of `contentHash` when no document uses it any more (its documents already deleted). */
export async function releaseBlob(em: EntityManager, blobs: BlobStore, contentHash: string): Promise<void> {
  await inTransaction(em, async () => {
    await lockBlob(em, contentHash);
    if ((await em.count(Document, { contentHash })) === 0) await blobs.remove(contentHash);
  });
}
