// Applies honey-jars' facts about jars to knowledge's read model. Every write is last-writer-wins on honey-jars'
// own timestamps, so events may arrive in any order, twice, or interleaved with a snapshot and still settle on
// the latest state; a deletion is final.
import { uuidArray } from '@sting/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { JarType } from '../../entities/jar-access.ts';

/** A jar's access facts as honey-jars states them; `updatedAt` is its own change time. */
export interface JarState {
  honeyJarId: string;
  ownerId: string;
  type: JarType;
  status: string;
  name: string;
  redactPiiOnIngest?: boolean;
  updatedAt: string;
}

export interface JarSnapshotEntry extends JarState {
  memberIds: string[];
}

const NIL = '00000000-0000-0000-0000-000000000000';

/** Qualified table names: the subgraph's schema is a throwaway one in tests. */
export function accessTables(em: EntityManager): { jars: string; members: string } {
  const schema = em.config.get('schema');
  return { jars: `"${schema}"."jar_access"`, members: `"${schema}"."jar_access_member"` };
}

/** Creates or updates the jar unless a newer state (or its deletion) is already recorded. */
export async function applyJarState(
  em: EntityManager,
  jar: JarState,
  syncId: string | null = null,
): Promise<void> {
  const { jars } = accessTables(em);
  await em.getConnection().execute(
    `insert into ${jars} as j (honey_jar_id, owner_id, type, status, name, redact_pii_on_ingest, deleted, changed_at, sync_id)
     values (?, ?, ?, ?, ?, ?, false, ?, ?)
     on conflict (honey_jar_id) do update set owner_id = excluded.owner_id, type = excluded.type,
       status = excluded.status, name = excluded.name, redact_pii_on_ingest = excluded.redact_pii_on_ingest,
       changed_at = excluded.changed_at, sync_id = coalesce(excluded.sync_id, j.sync_id)
     where not j.deleted and j.changed_at <= excluded.changed_at`,
    [
      jar.honeyJarId,
      jar.ownerId,
      jar.type,
      jar.status,
      jar.name,
      jar.redactPiiOnIngest ?? false,
      new Date(jar.updatedAt),
      syncId,
    ],
  );
  if (syncId) {
    // Listed in this snapshot even when the state was older than ours: it still exists.
    await em
      .getConnection()
      .execute(`update ${jars} set sync_id = ? where honey_jar_id = ? and not deleted`, [
        syncId,
        jar.honeyJarId,
      ]);
  }
}

/** Records a membership change made at `at`, unless a later change of the same membership is already recorded. */
export async function applyMembership(
  em: EntityManager,
  honeyJarId: string,
  userId: string,
  present: boolean,
  at: string,
): Promise<void> {
  const { members } = accessTables(em);
  await em.getConnection().execute(
    `insert into ${members} as m (honey_jar_id, user_id, present, changed_at) values (?, ?, ?, ?)
     on conflict (honey_jar_id, user_id) do update set present = excluded.present, changed_at = excluded.changed_at
     where m.changed_at <= excluded.changed_at`,
    [honeyJarId, userId, present, new Date(at)],
  );
}

/** Marks the jar deleted for good (a tombstone, also when the jar was never seen) and forgets its members. */
export async function applyJarDeletion(em: EntityManager, honeyJarId: string, at: string): Promise<void> {
  const { jars, members } = accessTables(em);
  await em.transactional(async (tx) => {
    await tx.getConnection().execute(
      `insert into ${jars} (honey_jar_id, owner_id, type, status, name, redact_pii_on_ingest, deleted, changed_at)
       values (?, ?, 'PRIVATE', 'DELETED', '', false, true, ?)
       on conflict (honey_jar_id) do update set deleted = true, status = 'DELETED'`,
      [honeyJarId, NIL, new Date(at)],
      'run',
      tx.getTransactionContext(),
    );
    await tx
      .getConnection()
      .execute(
        `delete from ${members} where honey_jar_id = ?`,
        [honeyJarId],
        'run',
        tx.getTransactionContext(),
      );
  });
}

/**
 * Applies one page of a full snapshot taken at `takenAt`: each jar's state, and its member list as of then
 * (memberships changed later by an event are left as the event set them).
 */
export async function applySnapshotPage(
  em: EntityManager,
  syncId: string,
  takenAt: string,
  entries: readonly JarSnapshotEntry[],
): Promise<void> {
  const { members } = accessTables(em);
  for (const entry of entries) {
    await applyJarState(em, entry, syncId);
    for (const userId of entry.memberIds) await applyMembership(em, entry.honeyJarId, userId, true, takenAt);
    await em.getConnection().execute(
      `update ${members} set present = false, changed_at = ?
       where honey_jar_id = ? and present and changed_at < ? and not (user_id = any(?::uuid[]))`,
      [new Date(takenAt), entry.honeyJarId, new Date(takenAt), uuidArray(entry.memberIds)],
    );
  }
}

/**
 * After the last page of a snapshot: jars the snapshot did not list, and not changed since it was taken, no
 * longer exist in honey-jars (deleted while knowledge was not listening). Returns their ids.
 */
export async function finishSnapshot(em: EntityManager, syncId: string, takenAt: string): Promise<string[]> {
  const { jars } = accessTables(em);
  const rows = await em.getConnection().execute<{ honey_jar_id: string }[]>(
    `select honey_jar_id from ${jars}
     where not deleted and sync_id is distinct from ? and changed_at < ?`,
    [syncId, new Date(takenAt)],
  );
  for (const row of rows) await applyJarDeletion(em, row.honey_jar_id, takenAt);
  return rows.map((row) => row.honey_jar_id);
}
