// Reading honey jars as a particular viewer: membership lookups, batched visibility checks and the paged list.
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { afterKey, BadUserInputError, keysetPage, readRows, type Viewer, pageArgs } from '@sting/kit';
import { HoneyJar } from '../entities/honey-jar.ts';
import { HoneyJarMember } from '../entities/honey-jar-member.ts';
import { authorizeCaller, can, readableWhere } from './policies.ts';
import { isId, LIMITS, validStatus, validType } from './validation.ts';

/** Who is acting and with which entity manager: a subgraph request context satisfies it. */
export interface Actor {
  em: EntityManager;
  viewer: Viewer | null;
  /** The request, as the correlation id of the events the change causes. */
  requestId?: string;
}

export const PAGE_SIZE = { default: 20, max: 100 } as const;

export interface HoneyJarPage {
  nodes: HoneyJar[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/** Of `jarIds` (or all jars when omitted), the ones `userId` is an explicit member of. One query. */
export async function memberJarIds(
  em: EntityManager,
  userId: string,
  jarIds?: readonly string[],
): Promise<string[]> {
  if (jarIds?.length === 0) return [];
  const rows = await readRows<HoneyJarMember, { honeyJar: string }>(
    em,
    HoneyJarMember,
    jarIds ? { userId, honeyJar: { $in: [...jarIds] } } : { userId },
    { fields: ['honeyJar'] },
  );
  return rows.map((m) => m.honeyJar);
}

export async function isMember(em: EntityManager, userId: string, jarId: string): Promise<boolean> {
  return (await memberJarIds(em, userId, [jarId])).length > 0;
}

/**
 * The jars with these ids that the viewer may read, in the order asked (null where missing or hidden).
 * Two queries for any number of ids: the jars, then the viewer's memberships among them (asked of `isMember`
 * when given: the request's loader, which keeps the answers for the members list).
 */
export async function findReadableJars(
  { em, viewer }: Actor,
  ids: readonly string[],
  isMember?: (jarIds: string[]) => Promise<boolean[]>,
): Promise<(HoneyJar | null)[]> {
  const wanted = [...new Set(ids.filter(isId))];
  if (viewer === null || wanted.length === 0) return ids.map(() => null);
  const jars = await em.find(HoneyJar, { id: { $in: wanted } });
  const shared = jars.filter((j) => j.type === 'TEAM' || j.type === 'RESTRICTED').map((j) => j.id);
  let memberOf = new Set<string>();
  if (viewer.kind === 'user' && shared.length) {
    if (isMember) {
      const answers = await isMember(shared);
      memberOf = new Set(shared.filter((_, i) => answers[i]));
    } else memberOf = new Set(await memberJarIds(em, viewer.id, shared));
  }
  const visible = new Map(
    jars.filter((jar) => can(viewer, 'read', { jar, isMember: memberOf.has(jar.id) })).map((j) => [j.id, j]),
  );
  return ids.map((id) => visible.get(id) ?? null);
}

export interface HoneyJarFilter {
  /** Part of the name, in any case. */
  name?: string | null;
  type?: string | null;
  status?: string | null;
}

/** The filter as conditions on the jar's row; the name's `%`, `_` and `\` are matched as themselves. */
function filterWhere(filter: HoneyJarFilter | null | undefined): FilterQuery<HoneyJar>[] {
  if (!filter) return [];
  const conditions: FilterQuery<HoneyJar>[] = [];
  if (filter.name != null) {
    const name = filter.name.trim();
    if (name.length < 1 || name.length > LIMITS.name)
      throw new BadUserInputError(`filter.name must be 1 to ${LIMITS.name} characters`, 'filter.name');
    conditions.push({ name: { $ilike: `%${name.replace(/[\\%_]/g, (c) => `\\${c}`)}%` } });
  }
  if (filter.type != null) conditions.push({ type: validType(filter.type) });
  if (filter.status != null) conditions.push({ status: validStatus(filter.status) });
  return conditions;
}

/**
 * Newest first, keyset-paged on (createdAt, id) so pages never repeat or skip rows under concurrent inserts. The
 * jars are read as rows, not entities (readRows): a page is only shown.
 */
export async function listHoneyJars(
  { em, viewer }: Actor,
  {
    first: firstAsked,
    after,
    filter,
  }: { first?: number | null; after?: string | null; filter?: HoneyJarFilter | null },
): Promise<HoneyJarPage> {
  authorizeCaller(viewer, 'list');
  const { first, after: cursor } = pageArgs({ first: firstAsked, after }, PAGE_SIZE);
  const conditions = filterWhere(filter);
  const memberOf = viewer.kind === 'user' ? await memberJarIds(em, viewer.id) : [];
  const where: FilterQuery<HoneyJar> = {
    $and: [readableWhere(viewer, memberOf), ...conditions, ...(cursor ? [afterKey<HoneyJar>(cursor)] : [])],
  };
  const rows = await readRows(em, HoneyJar, where, {
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    limit: first + 1,
  });
  return keysetPage(rows, first);
}
