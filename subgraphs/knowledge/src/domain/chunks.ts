// Reading chunks: a document's passages page by page, and counts per honey jar. Both answer only for jars the
// viewer may read (knowledge's read model of jar access), never from a client's say-so.
import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, pageSize, type Viewer } from '@sting/kit';
import { Chunk } from '../entities/chunk.ts';
import { canRead, isJarId, readableJarIds } from './jar-access/access.ts';

export const CHUNK_PAGE = { default: 20, max: 100 } as const;

export interface ChunkPage {
  nodes: Chunk[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

const encodeCursor = (ordinal: number) => Buffer.from(`chunk:${ordinal}`).toString('base64url');

function decodeCursor(cursor: string): number {
  const m = /^chunk:(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw new BadUserInputError('after is not a cursor from this list', 'after');
  return Number(m[1]);
}

/** A document's chunks in reading order after the cursor; empty when the viewer may not read its jar. */
export async function chunksOfDocument(
  em: EntityManager,
  viewer: Viewer | null,
  documentId: string,
  args: { first?: number | null; after?: string | null },
): Promise<ChunkPage> {
  const first = pageSize(args.first, CHUNK_PAGE);
  const { after } = args;
  const empty: ChunkPage = { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
  const from = after ? decodeCursor(after) : -1;
  if (!isJarId(documentId)) return empty;
  const any = await em.findOne(Chunk, { documentId }, { fields: ['honeyJarId'] });
  if (!any || !(await canRead(em, viewer, any.honeyJarId))) return empty;
  const rows = await em.find(
    Chunk,
    { documentId, ordinal: { $gt: from } },
    { orderBy: { ordinal: 'asc' }, limit: first + 1 },
  );
  const nodes = rows.slice(0, first);
  const last = nodes.at(-1);
  return {
    nodes,
    pageInfo: { hasNextPage: rows.length > first, endCursor: last ? encodeCursor(last.ordinal) : null },
  };
}

/** How many chunks each honey jar holds, in the order asked (0 for none): one grouped COUNT query. */
export async function countChunksByJar(em: EntityManager, jarIds: readonly string[]): Promise<number[]> {
  const wanted = [...new Set(jarIds.filter(isJarId))];
  if (wanted.length === 0) return jarIds.map(() => 0);
  const rows = await em
    .createQueryBuilder(Chunk)
    .select(['honeyJarId', raw('count(*)::int as count')])
    .where({ honeyJarId: { $in: wanted } })
    .groupBy('honeyJarId')
    .execute<{ honeyJarId: string; count: number }[]>('all', true);
  const counts = new Map(rows.map((r) => [r.honeyJarId, Number(r.count)]));
  return jarIds.map((id) => counts.get(id) ?? 0);
}

/** The counts the viewer may see: 0 for jars it may not read. One query for the rule, one for the counts. */
export async function readableChunkCounts(
  em: EntityManager,
  viewer: Viewer | null,
  jarIds: readonly string[],
): Promise<number[]> {
  const readable = new Set(await readableJarIds(em, viewer, jarIds));
  const counts = await countChunksByJar(
    em,
    jarIds.filter((id) => readable.has(id)),
  );
  const byJar = new Map(jarIds.filter((id) => readable.has(id)).map((id, i) => [id, counts[i]]));
  return jarIds.map((id) => byJar.get(id) ?? 0);
}
