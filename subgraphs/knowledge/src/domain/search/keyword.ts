// Keyword search over the chunk table's weighted tsvector (title > heading path > text; GIN-indexed). The
// query's words are OR-ed, so a question phrased unlike the document still finds the passages sharing its
// content words, and ts_rank_cd orders by how many matched, how close together and where (title, heading, text).
import type { EntityManager } from '@mikro-orm/postgresql';

/** The words of a query as tsquery operands: letters and digits only, so no query syntax reaches to_tsquery. */
export function queryWords(query: string): string[] {
  const words = query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words)].filter((w) => w.length <= 100).slice(0, 64);
}

/** `word1 | word2 | ...` for to_tsquery, or null when the query has no words. */
export function orQuery(query: string): string | null {
  const words = queryWords(query);
  return words.length ? words.join(' | ') : null;
}

export function chunkTable(em: EntityManager): string {
  return `"${em.config.get('schema')}"."chunk"`;
}

/** Ids of the best `limit` chunks of these jars for the query, best first. */
export async function keywordSearch(
  em: EntityManager,
  query: string,
  jarIds: readonly string[],
  limit: number,
): Promise<string[]> {
  const tsquery = orQuery(query);
  if (!tsquery || jarIds.length === 0) return [];
  const rows = await em.getConnection().execute<{ id: string }[]>(
    `select c.id from ${chunkTable(em)} c, to_tsquery('english', ?) q
     where c.honey_jar_id = any(?::uuid[]) and c.search_vector @@ q
     order by ts_rank_cd(c.search_vector, q) desc, c.id limit ?`,
    [tsquery, `{${jarIds.join(',')}}`, limit],
  );
  return rows.map((row) => row.id);
}
