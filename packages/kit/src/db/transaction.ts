// One transaction on a request's own entity manager (no fork): every flush inside it, and the outbox events it
// enqueues, commit together or not at all. The way a write and the events announcing it stay one unit.
import type { EntityManager } from '@mikro-orm/core';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/postgresql';

/** Runs `work` in a transaction on `em`; inside an outer transaction it joins that one. */
export async function inTransaction<T>(em: EntityManager, work: () => Promise<T>): Promise<T> {
  if (em.isInTransaction()) {
    const result = await work();
    await em.flush();
    return result;
  }
  await em.begin();
  try {
    const result = await work();
    await em.commit();
    return result;
  } catch (err) {
    await em.rollback();
    throw err;
  }
}

/**
 * Holds the lock named `name` (and `key`, when given: one lock per person, per jar) until `em`'s transaction ends:
 * a check and the write it allows run one transaction at a time, on every replica, so requests sent at once cannot
 * each pass a count the others are about to change.
 */
export async function lockUntilCommit(em: SqlEntityManager, name: string, key?: string): Promise<void> {
  if (key === undefined) await em.execute(`select pg_advisory_xact_lock(hashtext(?))`, [name]);
  else await em.execute(`select pg_advisory_xact_lock(hashtext(?), hashtext(?))`, [name, key]);
}
