// What becomes of a deleted person's honey jars (identity's `user.deleted`): transferred to the person identity
// named, or deleted through the same domain code as a deleteHoneyJar call, so knowledge hears of each change by
// the usual honeyjar.* events. Their memberships of other jars go too. Applying one event twice changes nothing.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { UserDeletedEvent, Viewer } from '@sting/kit';
import { HoneyJar } from '../entities/honey-jar.ts';
import { HoneyJarMember } from '../entities/honey-jar-member.ts';
import type { Actor } from './access.ts';
import { accessState, enqueueHoneyJarEvent, HoneyJarTopics } from './events.ts';
import { deleteHoneyJar } from './honey-jars.ts';

/** The system acting on identity's word, with the admin who deleted the person as the events' actor. */
type DispositionActor = Actor & { actorId: string | null };

/** A name the new owner has no jar by: the jar's own, else "(transferred N)". */
async function freeName(em: EntityManager, ownerId: string, name: string): Promise<string> {
  const taken = new Set(
    (
      await em.find(HoneyJar, { ownerId, name: { $like: `${name.slice(0, 80)}%` } }, { fields: ['name'] })
    ).map((j) => j.name),
  );
  if (!taken.has(name)) return name;
  for (let n = 2; ; n++) {
    const candidate = `${name.slice(0, 80)} (transferred ${n})`;
    if (!taken.has(candidate)) return candidate;
  }
}

async function transferJars(actor: DispositionActor, from: string, to: string): Promise<void> {
  const jars = await actor.em.find(HoneyJar, { ownerId: from }, { orderBy: { createdAt: 'asc' } });
  for (const jar of jars) {
    await actor.em.transactional(async (em) => {
      const tx: DispositionActor = { ...actor, em };
      const row = await em.findOneOrFail(HoneyJar, { id: jar.id });
      row.name = await freeName(em, to, row.name);
      row.ownerId = to;
      // The new owner needs no membership of their own jar.
      await em.nativeDelete(HoneyJarMember, { honeyJar: row.id, userId: to });
      await em.flush();
      enqueueHoneyJarEvent(tx, HoneyJarTopics.updated, {
        honeyJarId: row.id,
        actorId: actor.actorId,
        jar: accessState(row),
      });
    });
  }
}

async function removeMemberships(actor: DispositionActor, userId: string): Promise<void> {
  const memberships = await actor.em.find(HoneyJarMember, { userId }, { populate: ['honeyJar'] });
  for (const membership of memberships) {
    await actor.em.transactional(async (em) => {
      await em.nativeDelete(HoneyJarMember, { id: membership.id });
      const jar = await em.findOne(HoneyJar, { id: membership.honeyJar.id });
      if (!jar) return;
      enqueueHoneyJarEvent({ ...actor, em }, HoneyJarTopics.memberRemoved, {
        honeyJarId: jar.id,
        actorId: actor.actorId,
        userId,
        jar: accessState(jar),
      });
    });
  }
}

/** Applies one `user.deleted` event. */
export async function applyUserDeletion(
  em: EntityManager,
  event: UserDeletedEvent,
  origin: { requestId?: string; actorId?: string | null } = {},
): Promise<void> {
  const actorId = origin.actorId ?? null;
  const base = { em, requestId: origin.requestId, actorId };
  if (event.honeyJars === 'TRANSFER' && event.transferTo) {
    await transferJars({ ...base, viewer: null }, event.userId, event.transferTo);
  } else {
    // Deleted as their owner would delete them: the same checks, the same events.
    const owner: Viewer = { kind: 'user', id: event.userId, role: 'MEMBER' };
    const jars = await em.find(HoneyJar, { ownerId: event.userId }, { fields: ['id'] });
    for (const jar of jars) await deleteHoneyJar({ ...base, em: em.fork(), viewer: owner }, jar.id);
  }
  await removeMemberships({ ...base, viewer: null }, event.userId);
}
