// Keyword search over the chunk table's weighted tsvector (title > heading path > text; GIN-indexed), ranked
// BM25-style: each query lexeme counts by its rarity among the readable chunks (inverse document frequency)
// times ts_rank's weighting of where and how often it occurs. PostgreSQL's ts_rank knows no rarity, so alone it
// ranks a passage sharing three common words above the one naming the rare entity the question is about.
import type { EntityManager } from '@mikro-orm/postgresql';

/** The words of a query: letters and digits only, so no query syntax reaches PostgreSQL's parsers. */
export function queryWords(query: string): string[] {
  const words = query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words)].filter((w) => w.length <= 100).slice(0, 64);
}

/** `word1 | word2 | ...` for to_tsquery (used for highlights), or null when the query has no words. */
export function orQuery(query: string): string | null {
  const words = queryWords(query);
  return words.length ? words.join(' | ') : null;
}

export function chunkTable(em: EntityManager): string {
  return `"${em.config.get('schema')}"."chunk"`;
}

/**
 * Words in this many chunks of the readable jars or more are too common to select candidates by (and weigh as
 * little as each other: their rarity is capped here).
 */
const DF_CAP = 1000;
const MAX_LEXEMES = 12;
const COMMON_ONLY_SAMPLE = 2000;

/** Ids of the best `limit` chunks of these jars for the query, best first. Two queries. */
export async function keywordSearch(
  em: EntityManager,
  query: string,
  jarIds: readonly string[],
  limit: number,
): Promise<string[]> {
  const words = queryWords(query);
  if (words.length === 0 || jarIds.length === 0) return [];
  const jars = `{${jarIds.join(',')}}`;
  // The query's lexemes as the index has them (stemmed, stop words gone), each with the number of the jars'
  // chunks holding it, from the term statistics the chunk table's triggers keep (chunk_lexeme).
  const counted = await em.getConnection().execute<{ lexeme: string; df: number }[]>(
    `select quote_literal(q.lexeme) as lexeme, coalesce(sum(s.chunks), 0)::int as df
     from (select distinct lexeme from unnest(to_tsvector('english', ?)) limit ${MAX_LEXEMES}) q
     left join "${em.config.get('schema')}"."chunk_lexeme" s on s.lexeme = q.lexeme and s.honey_jar_id = any(?::uuid[])
     group by q.lexeme`,
    [words.join(' '), jars],
  );
  const stats = counted.map((s) => ({ lexeme: s.lexeme, df: Math.min(s.df, DF_CAP) }));
  const present = stats.filter((s) => s.df > 0);
  if (present.length === 0) return [];
  const informative = present.filter((s) => s.df < DF_CAP);
  const selecting = informative.length > 0 ? informative : present;
  const idf = (df: number) => Math.log(1 + DF_CAP / df);
  const terms = present.map(
    (s) => `${idf(s.df).toFixed(4)} * ts_rank(c.search_vector, ${s.lexeme}::tsquery)`,
  );
  // With only common words to select by, any match is weak evidence: rank a bounded sample of them (the vector
  // list carries such queries) rather than read tens of thousands of rows for one question.
  const sample = informative.length > 0 ? '' : `limit ${COMMON_ONLY_SAMPLE}`;
  const rows = await em.getConnection().execute<{ id: string }[]>(
    `select c.id from (select id, search_vector from ${chunkTable(em)}
       where honey_jar_id = any(?::uuid[]) and search_vector @@ ?::tsquery ${sample}) c
     order by ${terms.join(' + ')} desc, c.id limit ?`,
    [jars, selecting.map((s) => s.lexeme).join(' | '), limit],
  );
  return rows.map((row) => row.id);
}
