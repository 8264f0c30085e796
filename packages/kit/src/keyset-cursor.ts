// Opaque keyset cursors for lists paged newest first: the (createdAt, id) of the last row seen, base64url-encoded.
// Clients must treat them as opaque; their shape may change.
import type { FilterQuery } from '@mikro-orm/core';
import { BadUserInputError } from './errors.ts';
import { isId } from './ids.ts';
import { parseInstant } from './instants.ts';

export interface CursorKey {
  createdAt: Date;
  id: string;
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.createdAt.toISOString(), key.id])).toString('base64url');
}

export function decodeCursor(cursor: string, field = 'after'): CursorKey {
  try {
    const [iso, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    // A cursor that decodes may still hold what PostgreSQL refuses (a non-UUID id, a year it cannot store): the
    // client's mistake as well, never a 500.
    const createdAt = typeof iso === 'string' ? parseInstant(iso) : null;
    if (createdAt && isId(id)) return { createdAt, id };
  } catch {
    // fall through: any undecodable cursor is the client's mistake
  }
  throw new BadUserInputError(`${field} is not a valid cursor`, field);
}

/**
 * The largest page any list serves, whatever its own bounds say. The gateway relies on it: a page asked for beyond
 * it is certain to be refused by the list itself, so the gateway's result-size estimate leaves it to that refusal,
 * whose message names the argument and the list's own range.
 */
export const MAX_PAGE_SIZE = 500;

/**
 * A list's page size: `first` (or the argument named `field`), the list's default when not given, checked against
 * its maximum (never above MAX_PAGE_SIZE): the one check, and the one message ("first must be between 1 and 200"),
 * of every paged list.
 */
export function pageSize(
  first: number | null | undefined,
  bounds: { default: number; max: number },
  field = 'first',
): number {
  const max = Math.min(bounds.max, MAX_PAGE_SIZE);
  const size = first ?? bounds.default;
  if (!Number.isInteger(size) || size < 1 || size > max)
    throw new BadUserInputError(`${field} must be between 1 and ${max}`, field);
  return size;
}

export interface KeysetPage<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

/**
 * A page from rows read with a limit of `first + 1`: the extra row, when it came, only says another page follows.
 * `keyOf` gives the key the list is ordered by (by default the row's own createdAt and id).
 */
export function keysetPage<T>(
  rows: readonly T[],
  first: number,
  keyOf: (row: T) => CursorKey = (row) => row as unknown as CursorKey,
): KeysetPage<T> {
  const nodes = rows.slice(0, first);
  const last = nodes.at(-1);
  return {
    nodes,
    pageInfo: {
      hasNextPage: rows.length > first,
      endCursor: last === undefined ? null : encodeCursor(keyOf(last)),
    },
  };
}

/** What a list's page is asked for with: its size and the cursor it follows. */
export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** A page's size (`pageSize`) and the key it follows (null for the first page), each checked. */
export function pageArgs(
  args: PageArgs,
  bounds: { default: number; max: number },
): { first: number; after: CursorKey | null } {
  return { first: pageSize(args.first, bounds), after: args.after ? decodeCursor(args.after) : null };
}

/**
 * One page of each parent's list (a honey jar's documents, its members), in the order of `keys`. The keys asking
 * for the same page (size and cursor) are read together, by one call of `read` for all their parents, which answers
 * up to `first + 1` rows of each parent; a key with a bad `first` or `after` gets its error instead of a page.
 */
export async function groupedPages<K extends PageArgs, T>(
  keys: readonly K[],
  parentOf: (key: K) => string,
  bounds: { default: number; max: number },
  read: (parents: string[], first: number, after: CursorKey | null) => Promise<Map<string, T[]>>,
): Promise<(KeysetPage<T> | Error)[]> {
  const groups = new Map<string, { first: number; after: CursorKey | null; parents: Set<string> }>();
  const groupOf = keys.map((key) => {
    try {
      const { first, after } = pageArgs(key, bounds);
      const name = `${first}|${key.after ?? ''}`;
      const group = groups.get(name) ?? { first, after, parents: new Set<string>() };
      group.parents.add(parentOf(key));
      groups.set(name, group);
      return name;
    } catch (err) {
      return err as Error;
    }
  });
  const pages = new Map<string, Map<string, KeysetPage<T>>>();
  await Promise.all(
    [...groups].map(async ([name, group]) => {
      const parents = [...group.parents];
      const rows = await read(parents, group.first, group.after);
      pages.set(name, new Map(parents.map((id) => [id, keysetPage(rows.get(id) ?? [], group.first)])));
    }),
  );
  return keys.map((key, i) => {
    const group = groupOf[i];
    return group instanceof Error ? group : pages.get(group)!.get(parentOf(key))!;
  });
}

export interface KeysetOrder {
  /** The timestamp field the list is ordered by (createdAt unless given). */
  field?: string;
  /** Newest first (desc, the default) or oldest first. */
  order?: 'asc' | 'desc';
  /** The order of ids among rows of the same timestamp (the list's order unless given). */
  idOrder?: 'asc' | 'desc';
}

/**
 * The condition for the rows that come after `key` in a list ordered by (timestamp, id): for a page read with it,
 * joined to the list's own conditions with `$and`.
 */
export function afterKey<T extends object>(
  key: CursorKey,
  options: KeysetOrder = {},
): { $or: FilterQuery<T>[] } {
  const field = options.field ?? 'createdAt';
  const past = options.order === 'asc' ? '$gt' : '$lt';
  const pastId = (options.idOrder ?? options.order) === 'asc' ? '$gt' : '$lt';
  return {
    $or: [
      { [field]: { [past]: key.createdAt } },
      { [field]: key.createdAt, id: { [pastId]: key.id } },
    ] as FilterQuery<T>[],
  };
}
