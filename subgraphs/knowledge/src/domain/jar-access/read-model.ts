// Applies honey-jars' facts about jars to knowledge's read model. Every write is last-writer-wins on honey-jars'
// own timestamps, so events may arrive in any order, twice, or interleaved with a snapshot and still settle on
// the latest state; a deletion is final, unless a snapshot taken well after it still lists the jar.
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

/**
 * How long after a deletion's time a snapshot may still list the jar: the deletion's time is taken before its
 * transaction commits, so a snapshot started a moment later can still read the jar. Listed later than this, the
 * jar exists.
 */
const DELETION_SETTLED = '1 minute';

/** Qualified table names: the subgraph's schema is a throwaway one in tests. */
export function accessTables(em: EntityManager): { jars: string; members: string; seen: string } {
  const schema = em.config.get('schema');
  return {
    jars: `"${schema}"."jar_access"`,
    members: `"${schema}"."jar_access_member"`,
    seen: `"${schema}"."jar_access_snapshot_seen"`,
  };
}

/** Creates or updates the jar unless a newer state (or its deletion) is already recorded. */
export async function applyJarState(em: EntityManager, jar: JarState): Promise<void> {
  const { jars } = accessTables(em);
  await em.getConnection().execute(
    `insert into ${jars} as j (honey_jar_id, owner_id, type, status, name, redact_pii_on_ingest, deleted, changed_at)
     values (?, ?, ?, ?, ?, ?, false, ?)
     on conflict (honey_jar_id) do update set owner_id = excluded.owner_id, type = excluded.type,
       status = excluded.status, name = excluded.name, redact_pii_on_ingest = excluded.redact_pii_on_ingest,
       changed_at = excluded.changed_at
     where not j.deleted and j.changed_at <= excluded.changed_at`,
    [
      jar.honeyJarId,
      jar.ownerId,
      jar.type,
      jar.status,
      jar.name,
      jar.redactPiiOnIngest ?? false,
      new Date(jar.updatedAt),
    ],
  );
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
      `insert into ${jars} as j (honey_jar_id, owner_id, type, status, name, redact_pii_on_ingest, deleted, changed_at,
         deleted_at)
       values (?, ?, 'PRIVATE', 'DELETED', '', false, true, ?, ?)
       on conflict (honey_jar_id) do update set deleted = true, status = 'DELETED',
         deleted_at = coalesce(j.deleted_at, excluded.deleted_at)`,
      [honeyJarId, NIL, new Date(at), new Date(at)],
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
 * (memberships changed later by an event are left as the event set them). The jars it lists are recorded under
 * the snapshot's id (by every replica that applies it: the same rows), for finishSnapshot. Answers the jars it
 * found wrongly taken for deleted, known again now.
 */
export async function applySnapshotPage(
  em: EntityManager,
  syncId: string,
  takenAt: string,
  entries: readonly JarSnapshotEntry[],
): Promise<string[]> {
  const { jars, members, seen } = accessTables(em);
  const listed = uuidArray(entries.map((entry) => entry.honeyJarId));
  // Listed now, yet taken for deleted well before this snapshot was taken: the deletion was wrong (a snapshot of
  // an older, faulty kind missed the jar). Known again, with the state listed here; its documents went with it.
  const revived = await em.getConnection().execute<{ honey_jar_id: string }[]>(
    `update ${jars} set deleted = false, deleted_at = null, changed_at = '-infinity'
     where honey_jar_id = any(?::uuid[]) and deleted and deleted_at < ?::timestamptz - interval '${DELETION_SETTLED}'
     returning honey_jar_id`,
    [listed, new Date(takenAt)],
  );
  for (const entry of entries) {
    await applyJarState(em, entry);
    for (const userId of entry.memberIds) await applyMembership(em, entry.honeyJarId, userId, true, takenAt);
    await em.getConnection().execute(
      `update ${members} set present = false, changed_at = ?
       where honey_jar_id = ? and present and changed_at < ? and not (user_id = any(?::uuid[]))`,
      [new Date(takenAt), entry.honeyJarId, new Date(takenAt), uuidArray(entry.memberIds)],
    );
  }
  if (entries.length > 0)
    await em
      .getConnection()
      .execute(
        `insert into ${seen} (sync_id, honey_jar_id) select ?, unnest(?::uuid[]) on conflict do nothing`,
        [syncId, listed],
      );
  return revived.map((row) => row.honey_jar_id);
}

/** How long the rows of a snapshot whose last page never arrived are kept. */
const ABANDONED_SNAPSHOT = '1 day';

export interface FinishedSnapshot {
  /** Jars found deleted: known here, not listed, and not changed since the snapshot was taken. */
  gone: string[];
  /** False when fewer jars were recorded than the snapshot listed (a page lost on the way): nothing is inferred. */
  complete: boolean;
}

/**
 * After the last page of a snapshot that listed `total` jars: jars the snapshot did not list, and not changed since
 * it was taken, no longer exist in honey-jars (deleted while knowledge was not listening). A deletion is final and
 * takes the jar's documents with it, so it is inferred only from a snapshot known whole: one whose listed jars were
 * all recorded here (a page lost on the way, or a snapshot from a honey-jars that does not say its total, infers
 * nothing; the next snapshot will). Another replica that finishes the same snapshot later finds it finished.
 */
export async function finishSnapshot(
  em: EntityManager,
  syncId: string,
  takenAt: string,
  total: number | undefined,
): Promise<FinishedSnapshot> {
  const { jars, seen } = accessTables(em);
  const connection = em.getConnection();
  await connection.execute(`delete from ${seen} where seen_at < now() - interval '${ABANDONED_SNAPSHOT}'`);
  // Taken and removed in one statement: of two replicas finishing the same snapshot, one gets its list and the
  // other nothing (read apart, the second could count the list whole and then find it gone, and take every jar
  // for deleted).
  const listed = (
    await connection.execute<{ honey_jar_id: string }[]>(
      `delete from ${seen} where sync_id = ? returning honey_jar_id`,
      [syncId],
    )
  ).map((row) => row.honey_jar_id);
  const complete = total !== undefined && listed.length >= total;
  if (!complete) return { gone: [], complete };
  const rows = await connection.execute<{ honey_jar_id: string }[]>(
    `select honey_jar_id from ${jars}
     where not deleted and changed_at < ? and not (honey_jar_id = any(?::uuid[]))`,
    [new Date(takenAt), uuidArray(listed)],
  );
  for (const row of rows) await applyJarDeletion(em, row.honey_jar_id, takenAt);
  return { gone: rows.map((row) => row.honey_jar_id), complete };
}
