// A TEAM or RESTRICTED jar's members, in the order they were added, one page at a time: each jar's page is read
// through the (honey_jar_id, created_at, id) index and stops at the page's end, so a jar of 10,000 members costs
// what a small one does; the pages of every jar of a request asking for the same page are one statement, and how
// many members a jar has is counted only when asked.
import type { EntityManager } from '@mikro-orm/postgresql';
import { groupedPages, uuidArray, type KeysetPage, type PageArgs } from '@sting/kit';

export const MEMBERS_PAGE = { default: 100, max: 200 } as const;

/** A membership as the list shows it: who, and when it began (with its id, the key members are paged by). */
export interface Membership {
  id: string;
  userId: string;
  createdAt: Date;
}

/** A page of members as the resolver answers it: its size counted only when selected (a function field). */
export interface MemberConnection {
  nodes: { __typename: 'User'; id: string }[];
  pageInfo: KeysetPage<Membership>['pageInfo'];
  totalCount: number | (() => Promise<number>);
}

export interface MemberPageKey extends PageArgs {
  honeyJarId: string;
}

const table = (em: EntityManager) => `"${em.config.get('schema')}"."honey_jar_member"`;

/** One page of each jar's members, in the order of `keys`; a key with a bad `first` or `after` gets its error. */
export function memberPages(
  em: EntityManager,
  keys: readonly MemberPageKey[],
): Promise<(KeysetPage<Membership> | Error)[]> {
  return groupedPages(
    keys,
    (key) => key.honeyJarId,
    MEMBERS_PAGE,
    async (jars, first, after) => {
      const rows = await em
        .getConnection()
        .execute<{ honey_jar_id: string; id: string; user_id: string; created_at: Date }[]>(
          `select jar.id as honey_jar_id, m.id, m.user_id, m.created_at
           from unnest(?::uuid[]) as jar(id)
           cross join lateral (
             select m.id, m.user_id, m.created_at from ${table(em)} m
             where m.honey_jar_id = jar.id
               ${after ? 'and (m.created_at, m.id) > (?::timestamptz, ?::uuid)' : ''}
             order by m.created_at, m.id
             limit ?
           ) m
           order by m.created_at, m.id`,
          [uuidArray(jars), ...(after ? [after.createdAt, after.id] : []), first + 1],
        );
      const byJar = new Map<string, Membership[]>();
      for (const row of rows) {
        const list = byJar.get(row.honey_jar_id) ?? [];
        list.push({ id: row.id, userId: row.user_id, createdAt: new Date(row.created_at) });
        byJar.set(row.honey_jar_id, list);
      }
      return byJar;
    },
  );
}

/** How many members each jar has, in the order of `jarIds`. */
export async function memberCounts(em: EntityManager, jarIds: readonly string[]): Promise<number[]> {
  const rows = await em.getConnection().execute<{ honey_jar_id: string; members: string }[]>(
    `select honey_jar_id, count(*) as members from ${table(em)}
       where honey_jar_id = any(?::uuid[]) group by honey_jar_id`,
    [uuidArray(jarIds)],
  );
  const counts = new Map(rows.map((row) => [row.honey_jar_id, Number(row.members)]));
  return jarIds.map((id) => counts.get(id) ?? 0);
}
