// Creating, changing and deleting honey jars, and granting membership. Every change is checked against the
// policies first and written in one transaction together with its event (the outbox): the event goes out once
// the change has committed, and a committed change never loses its event or answers an error for it.
import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { BadUserInputError, ForbiddenError, inTransaction, NotFoundError } from '@sting/kit';
import { HoneyJar, type HoneyJarStatus, type HoneyJarType } from '../entities/honey-jar.ts';
import { HoneyJarMember } from '../entities/honey-jar-member.ts';
import { findReadableJars, isMember, type Actor } from './access.ts';
import { accessState, enqueueHoneyJarEvent, HoneyJarTopics } from './events.ts';
import type { PeopleDirectory } from './people.ts';
import { authorize, authorizeCaller } from './policies.ts';
import { requireId, validDescription, validName, validStatus, validTags, validType } from './validation.ts';

export interface NewHoneyJar {
  name: string;
  description?: string | null;
  type?: HoneyJarType | null;
  tags?: readonly string[] | null;
  redactPiiOnIngest?: boolean | null;
}

export interface HoneyJarChanges {
  name?: string | null;
  /** null clears the description; undefined leaves it. */
  description?: string | null;
  type?: HoneyJarType | null;
  status?: HoneyJarStatus | null;
  tags?: readonly string[] | null;
  redactPiiOnIngest?: boolean | null;
}

const nameTaken = () => new BadUserInputError('You already have a honey jar with this name', 'name');

async function assertNameFree(actor: Actor, ownerId: string, name: string, exceptId?: string): Promise<void> {
  const clash = await actor.em.count(HoneyJar, {
    ownerId,
    name,
    ...(exceptId ? { id: { $ne: exceptId } } : {}),
  });
  if (clash > 0) throw nameTaken();
}

async function flushOrNameTaken(actor: Actor): Promise<void> {
  try {
    await actor.em.flush();
  } catch (err) {
    // A concurrent create with the same name loses at the unique index and gets the same answer.
    if (err instanceof UniqueConstraintViolationException) throw nameTaken();
    throw err;
  }
}

/** Loads a jar for a change: NOT_FOUND when it is missing or hidden from the viewer, FORBIDDEN when only readable. */
async function jarToChange(
  actor: Actor,
  id: string,
  action: 'update' | 'delete' | 'addMember' | 'removeMember',
): Promise<HoneyJar> {
  // Anonymous callers and keys without the scope are refused before the jar is looked up: NOT_FOUND would
  // tell them no more, but UNAUTHENTICATED tells them what to do.
  authorizeCaller(actor.viewer, action);
  const jarId = requireId(id, 'id');
  const [jar] = await findReadableJars(actor, [jarId]);
  if (!jar) throw new NotFoundError('Honey jar', jarId);
  const viewer = actor.viewer;
  const member = viewer?.kind === 'user' ? await isMember(actor.em, viewer.id, jar.id) : false;
  authorize(viewer, action, { jar, isMember: member });
  return jar;
}

export async function createHoneyJar(actor: Actor, input: NewHoneyJar): Promise<HoneyJar> {
  return inTransaction(actor.em, async () => {
    authorize(actor.viewer, 'create');
    // The rules already refuse the system; this narrows the type to a user who can own the jar.
    if (actor.viewer.kind !== 'user') throw new ForbiddenError();
    const ownerId = actor.viewer.id;
    const name = validName(input.name);
    const fields = {
      name,
      description: validDescription(input.description),
      type: validType(input.type ?? 'PRIVATE'),
      status: 'ACTIVE' as const,
      tags: validTags(input.tags),
      redactPiiOnIngest: input.redactPiiOnIngest ?? false,
      ownerId,
    };
    await assertNameFree(actor, ownerId, name);
    const jar = actor.em.create(HoneyJar, fields);
    await flushOrNameTaken(actor);
    enqueueHoneyJarEvent(actor, HoneyJarTopics.created, {
      honeyJarId: jar.id,
      actorId: ownerId,
      jar: accessState(jar),
    });
    return jar;
  });
}

export async function updateHoneyJar(actor: Actor, id: string, changes: HoneyJarChanges): Promise<HoneyJar> {
  return inTransaction(actor.em, async () => {
    const jar = await jarToChange(actor, id, 'update');
    if (changes.name != null) {
      const name = validName(changes.name);
      if (name !== jar.name) await assertNameFree(actor, jar.ownerId, name, jar.id);
      jar.name = name;
    }
    if (changes.description !== undefined) jar.description = validDescription(changes.description);
    if (changes.type != null) jar.type = validType(changes.type);
    if (changes.status != null) jar.status = validStatus(changes.status);
    if (changes.tags != null) jar.tags = validTags(changes.tags);
    if (changes.redactPiiOnIngest != null) jar.redactPiiOnIngest = changes.redactPiiOnIngest;
    await flushOrNameTaken(actor);
    enqueueHoneyJarEvent(actor, HoneyJarTopics.updated, {
      honeyJarId: jar.id,
      actorId: viewerId(actor),
      jar: accessState(jar),
    });
    if (!hasMembers(jar.type)) await endMemberships(actor, jar);
    return jar;
  });
}

/** Removes the jar and its memberships, all or nothing (knowledge drops its documents on the event). */
export async function deleteHoneyJar(actor: Actor, id: string): Promise<boolean> {
  return inTransaction(actor.em, async () => {
    const jar = await jarToChange(actor, id, 'delete');
    await actor.em.nativeDelete(HoneyJarMember, { honeyJar: jar.id });
    await actor.em.nativeDelete(HoneyJar, { id: jar.id });
    enqueueHoneyJarEvent(actor, HoneyJarTopics.deleted, {
      honeyJarId: jar.id,
      actorId: viewerId(actor),
    });
    return true;
  });
}

const hasMembers = (type: string) => type === 'TEAM' || type === 'RESTRICTED';

/**
 * A jar made PRIVATE or PUBLIC has no members: its memberships end with the change, each announced as a removal.
 * Kept hidden instead, they came back into force when the jar was shared again, giving access back to people its
 * owner could not see in its member list and had meant to shut out.
 */
async function endMemberships(actor: Actor, jar: HoneyJar): Promise<void> {
  const ended = await actor.em
    .getConnection()
    .execute<{ user_id: string }[]>(
      `delete from "${actor.em.config.get('schema')}"."honey_jar_member" where honey_jar_id = ? returning user_id`,
      [jar.id],
      'all',
      actor.em.getTransactionContext(),
    );
  for (const { user_id: userId } of ended)
    enqueueHoneyJarEvent(actor, HoneyJarTopics.memberRemoved, {
      honeyJarId: jar.id,
      actorId: viewerId(actor),
      userId,
      jar: accessState(jar),
    });
}

/**
 * Idempotent: adding an existing member changes nothing. Only TEAM and RESTRICTED jars have members (a PRIVATE
 * jar is its owner's alone, a PUBLIC one everyone's), and only a person identity knows can be one.
 */
export async function addHoneyJarMember(
  actor: Actor,
  honeyJarId: string,
  userId: string,
  people: PeopleDirectory,
): Promise<HoneyJar> {
  return inTransaction(actor.em, async () => {
    const memberId = requireId(userId, 'userId');
    const jar = await jarToChange(actor, requireId(honeyJarId, 'honeyJarId'), 'addMember');
    if (!hasMembers(jar.type))
      throw new BadUserInputError(
        `A ${jar.type} honey jar has no members: only TEAM and RESTRICTED jars are shared with chosen people`,
        'honeyJarId',
      );
    if (!(await people.exists(memberId)))
      throw new BadUserInputError(`There is no user ${memberId}`, 'userId');
    // A concurrent grant of the same membership is no error: the row exists either way.
    await actor.em
      .createQueryBuilder(HoneyJarMember)
      .insert({ id: randomUUID(), honeyJar: jar.id, userId: memberId, createdAt: new Date() })
      .onConflict(['honeyJar', 'userId'])
      .ignore()
      .execute();
    enqueueHoneyJarEvent(actor, HoneyJarTopics.memberAdded, {
      honeyJarId: jar.id,
      actorId: viewerId(actor),
      userId: memberId,
      jar: accessState(jar),
    });
    return jar;
  });
}

/** Idempotent: removing someone who is not a member changes nothing (the event still confirms it). */
export async function removeHoneyJarMember(
  actor: Actor,
  honeyJarId: string,
  userId: string,
): Promise<HoneyJar> {
  return inTransaction(actor.em, async () => {
    const memberId = requireId(userId, 'userId');
    const jar = await jarToChange(actor, requireId(honeyJarId, 'honeyJarId'), 'removeMember');
    await actor.em.nativeDelete(HoneyJarMember, { honeyJar: jar.id, userId: memberId });
    enqueueHoneyJarEvent(actor, HoneyJarTopics.memberRemoved, {
      honeyJarId: jar.id,
      actorId: viewerId(actor),
      userId: memberId,
      jar: accessState(jar),
    });
    return jar;
  });
}

function viewerId(actor: Actor): string | null {
  return actor.viewer?.kind === 'user' ? actor.viewer.id : null;
}
