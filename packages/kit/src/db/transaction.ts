// One transaction on a request's own entity manager (no fork): every flush inside it, and the outbox events it
// enqueues, commit together or not at all. The way a write and the events announcing it stay one unit.
import type { EntityManager } from '@mikro-orm/core';

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
