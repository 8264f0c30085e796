// Finding people: admins page through everyone (newest first, keyset cursors) filtered by name or email, role and
// standing; members and admins search by name to pick jar members (admins also by email).
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import {
  afterKey,
  BadUserInputError,
  decodeCursor,
  encodeCursor,
  pageSize,
  Roles,
  type Role,
} from '@sting/kit';
import { User } from '../../entities/user.ts';

export const USERS_PAGE = { default: 20, max: 100 } as const;
export const SEARCH_PAGE = { default: 10, max: 50 } as const;
const MIN_SEARCH = 2;
const MAX_SEARCH = 200;

export interface UserFilterInput {
  search?: string | null;
  role?: Role | null;
  disabled?: boolean | null;
}

export interface UserPage {
  edges: { cursor: string; node: User }[];
  /** The edges' nodes, as the platform's other connections list them. */
  nodes: User[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

/** `%text%` for ILIKE, with the pattern characters of the text itself taken literally. */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function filterWhere(filter: UserFilterInput | null | undefined): FilterQuery<User>[] {
  const where: FilterQuery<User>[] = [];
  const search = filter?.search?.trim();
  if (search) {
    if (search.length > MAX_SEARCH) throw new BadUserInputError('search is too long', 'search');
    const pattern = containing(search);
    where.push({ $or: [{ displayName: { $ilike: pattern } }, { email: { $ilike: pattern } }] });
  }
  if (filter?.role) {
    if (!Roles.includes(filter.role)) throw new BadUserInputError('Unknown role', 'role');
    where.push({ role: filter.role });
  }
  if (filter?.disabled === true) where.push({ disabledAt: { $ne: null } });
  if (filter?.disabled === false) where.push({ disabledAt: null });
  return where;
}

export async function listUsers(
  em: EntityManager,
  args: { filter?: UserFilterInput | null; first?: number | null; after?: string | null },
): Promise<UserPage> {
  const first = pageSize(args.first, USERS_PAGE);
  const matching = filterWhere(args.filter);
  const cursor = args.after ? decodeCursor(args.after) : null;
  const page = cursor ? [...matching, afterKey<User>(cursor)] : matching;
  const [rows, totalCount] = await Promise.all([
    em.find(User, { $and: page }, { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], limit: first + 1 }),
    em.count(User, { $and: matching }),
  ]);
  const nodes = rows.slice(0, first);
  const last = nodes.at(-1);
  return {
    edges: nodes.map((node) => ({ cursor: encodeCursor(node), node })),
    nodes,
    pageInfo: { hasNextPage: rows.length > first, endCursor: last ? encodeCursor(last) : null },
    totalCount,
  };
}

/** People by display name (and by email when `byEmail`), in name order. */
export async function searchPeople(
  em: EntityManager,
  query: string,
  first: number | null | undefined,
  byEmail: boolean,
): Promise<User[]> {
  const size = pageSize(first, SEARCH_PAGE);
  const text = query.trim();
  if (text.length < MIN_SEARCH)
    throw new BadUserInputError(`Type at least ${MIN_SEARCH} characters to search`, 'query');
  if (text.length > MAX_SEARCH) throw new BadUserInputError('query is too long', 'query');
  const pattern = containing(text);
  const where: FilterQuery<User> = byEmail
    ? { $or: [{ displayName: { $ilike: pattern } }, { email: { $ilike: pattern } }] }
    : { displayName: { $ilike: pattern } };
  // Disabled people cannot use a jar, so they are not offered.
  return em.find(
    User,
    { $and: [where, { disabledAt: null }] },
    {
      orderBy: [{ displayName: 'asc' }, { id: 'asc' }],
      limit: size,
    },
  );
}
