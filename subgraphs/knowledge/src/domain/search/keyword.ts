// Keyword search over the chunk table's weighted tsvector (title > heading path > text; GIN-indexed), ranked
// BM25-style: each query lexeme counts by its rarity among the readable chunks (inverse document frequency)
// times ts_rank's weighting of where and how often it occurs. PostgreSQL's ts_rank knows no rarity, so alone it
// ranks a passage sharing three common words above the one naming the rare entity the question is about.
// A query word no readable chunk holds may be a typing slip; it is matched to the most similar words the jars
// do hold (trigram similarity), weighed by that similarity.
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
  const counted = await em.getConnection().execute<{ word: string; lexeme: string; df: number }[]>(
    `select q.lexeme as word, quote_literal(q.lexeme) as lexeme, coalesce(sum(s.chunks), 0)::int as df
     from (select distinct lexeme from unnest(to_tsvector('english', ?)) limit ${MAX_LEXEMES}) q
     left join "${em.config.get('schema')}"."chunk_lexeme" s on s.lexeme = q.lexeme and s.honey_jar_id = any(?::uuid[])
     group by q.lexeme`,
    [words.join(' '), jars],
  );
  const similar = await similarLexemes(
    em,
    counted.filter(mayBeMisspelt).map((s) => s.word),
    jars,
  );
  const stats = [
    ...counted.map((s) => ({ lexeme: s.lexeme, df: Math.min(s.df, DF_CAP), weight: 1 })),
    ...similar.map((s) => ({ lexeme: s.lexeme, df: Math.min(s.df, DF_CAP), weight: s.similarity })),
  ];
  const present = stats.filter((s) => s.df > 0);
  if (present.length === 0) return [];
  const informative = present.filter((s) => s.df < DF_CAP);
  const selecting = informative.length > 0 ? informative : present;
  const idf = (df: number) => Math.log(1 + DF_CAP / df);
  const terms = present.map(
    (s) => `${(s.weight * idf(s.df)).toFixed(4)} * ts_rank(c.search_vector, ${s.lexeme}::tsquery)`,
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

// A query word no readable chunk holds may be a typing slip ("zorln" for "zorlun"): it is matched to the jars'
// lexemes of at least this trigram similarity (pg_trgm), the best few, each weighed by its similarity.
const MIN_SIMILARITY = 0.4;
const SIMILAR_PER_WORD = 2;
const MIN_FUZZY_LENGTH = 4;

function mayBeMisspelt(stat: { word: string; df: number }): boolean {
  return stat.df === 0 && stat.word.length >= MIN_FUZZY_LENGTH && !/\d/.test(stat.word);
}

/** The schema pg_trgm lives in, once per connection pool; null when the database lacks it (exact words only). */
const trigramSchemas = new WeakMap<object, Promise<string | null>>();
function trigramSchema(em: EntityManager): Promise<string | null> {
  const connection = em.getConnection();
  let schema = trigramSchemas.get(connection);
  if (!schema) {
    schema = connection
      .execute<{ schema: string }[]>(
        `select quote_ident(extnamespace::regnamespace::text) as schema from pg_extension where extname = 'pg_trgm'`,
      )
      .then((rows) => rows[0]?.schema ?? null);
    schema.catch(() => trigramSchemas.delete(connection));
    trigramSchemas.set(connection, schema);
  }
  return schema;
}

async function similarLexemes(
  em: EntityManager,
  words: string[],
  jars: string,
): Promise<{ word: string; lexeme: string; df: number; similarity: number }[]> {
  if (words.length === 0) return [];
  const trgm = await trigramSchema(em);
  if (!trgm) return [];
  return em.getConnection().execute(
    `select m.word, quote_literal(l.lexeme) as lexeme, l.df, l.similarity
     from unnest(?::text[]) m(word)
     cross join lateral (
       select s.lexeme, sum(s.chunks)::int as df, ${trgm}.similarity(s.lexeme, m.word) as similarity
       from "${em.config.get('schema')}"."chunk_lexeme" s
       where s.honey_jar_id = any(?::uuid[]) and s.lexeme operator(${trgm}.%) m.word
       group by s.lexeme
       having ${trgm}.similarity(s.lexeme, m.word) >= ${MIN_SIMILARITY}
       order by 3 desc, s.lexeme
       limit ${SIMILAR_PER_WORD}
     ) l`,
    [`{${words.map((w) => JSON.stringify(w)).join(',')}}`, jars],
  );
}
