// A honey jar's storage quota (knowledge.jarQuotaBytes): the bytes its documents use, and the check that more fit,
// made under a per-jar lock so that two documents that each fit alone cannot both see the same room and together
// pass it (an upload completing, a proposal approved).
import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, lockUntilCommit } from '@sting/kit';
import { Document } from '../../entities/document.ts';

/**
 * The bytes of a jar's documents, counted against its quota. Proposals waiting for review count once approved:
 * anyone signed in may propose to a PUBLIC jar, and proposals counted at once would let them fill its owner's quota.
 */
export async function bytesUsedByJar(em: EntityManager, honeyJarId: string): Promise<number> {
  const [row] = await em
    .createQueryBuilder(Document)
    .select([raw('coalesce(sum(size), 0)::bigint as used')])
    .where({ honeyJarId, processingStatus: { $ne: 'PENDING_REVIEW' } })
    .execute<{ used: string | number }[]>('all', false);
  return Number(row?.used ?? 0);
}

/** Takes the jar's quota lock until the transaction ends: one completion or approval per jar at a time. */
export async function lockJarQuota(tx: EntityManager, honeyJarId: string): Promise<void> {
  await lockUntilCommit(tx, 'sting.knowledge.quota', honeyJarId);
}

/** How a message names the room left in a jar. */
export const quotaText = (bytes: number) =>
  `the honey jar's remaining quota of ${bytes} bytes (knowledge.jarQuotaBytes)`;

/**
 * Refuses `bytes` more in the jar past its quota of `quotaBytes`, as `BAD_USER_INPUT` on `field` saying that
 * `subject` exceeds the room left. Called under lockJarQuota.
 */
export async function ensureQuotaRoom(
  tx: EntityManager,
  quotaBytes: number,
  honeyJarId: string,
  bytes: number,
  subject: string,
  field: string,
): Promise<void> {
  const left = quotaBytes - (await bytesUsedByJar(tx, honeyJarId));
  if (bytes > left) throw new BadUserInputError(`${subject} exceeds ${quotaText(Math.max(0, left))}`, field);
}
