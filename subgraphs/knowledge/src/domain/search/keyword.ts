// Keyword search over the chunk table's weighted tsvector (title > heading path > text; GIN-indexed), ranked
// BM25-style: each query lexeme counts by its rarity among the readable chunks (inverse document frequency)
// times ts_rank's weighting of where and how often it occurs. PostgreSQL's ts_rank knows no rarity, so alone it
// ranks a passage sharing three common words above the one naming the rare entity the question is about.
// A query word no readable chunk holds may be a typing slip; it is matched to the closest words the jars do hold
// (spelling.ts), weighed by how close they are, and the vector half searches with the corrected query.
import { preparedRows, sharedPromise, textArray, uuidArray } from '@sting/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  allowedEdits,
  editDistance,
  inCaseOf,
  MAX_SLIP_LENGTH,
  oneEditAway,
  withCapital,
} from './spelling.ts';

/** The words of a query: letters and digits only, so no query syntax reaches PostgreSQL's parsers. */
export function queryWords(query: string): string[] {
  const words = query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words)].filter((w) => w.length <= 100).slice(0, 64);
}

/** `word1 | word2 | ...` for to_tsquery (the latency benchmark's brute-force scan); null without words. */
export function orQuery(query: string): string | null {
  const words = queryWords(query);
  return words.length ? words.join(' | ') : null;
}

export function chunkTable(em: EntityManager): string {
  return `"${em.config.get('schema')}"."chunk"`;
}

/** How many chunks every jar holds, from the counts the chunk table's triggers keep (chunk_lexeme's empty lexeme). */
export async function allJarChunks(em: EntityManager): Promise<number> {
  const [row] = await em.getConnection().execute<{ chunks: number }[]>(
    `select coalesce(sum(chunks), 0)::int as chunks from "${em.config.get('schema')}"."chunk_lexeme"
       where lexeme = ''`,
  );
  return row.chunks;
}

/**
 * Words in this many chunks of the readable jars or more are too common to select candidates by (and weigh as
 * little as each other: their rarity is capped here).
 */
const DF_CAP = 1000;
const MAX_LEXEMES = 12;
/** How many of the jars holding a word wordsAsWritten may read a passage of. */
const HOLDERS_READ = 3;
/**
 * Of chunk_lexeme rows `s` grouped by lexeme, the jars holding it (text[]), those with the most such chunks first:
 * up to HOLDERS_READ.
 */
const HOLDERS = `(array_agg(s.honey_jar_id::text order by s.chunks desc, s.honey_jar_id)
  filter (where s.honey_jar_id is not null))[1:${HOLDERS_READ}]`;
/** Of chunk_lexeme rows `s` grouped by lexeme: nine in ten chunks whose text holds it write it only with a capital. */
const MOSTLY_CAPITALISED = 'coalesce(sum(s.capitalised), 0) * 10 >= coalesce(sum(s.written), 0) * 9';
/**
 * Of chunk_lexeme rows `s` grouped by lexeme, whether the jars write it as a name (written-case.ts): with a capital
 * within a sentence somewhere, and MOSTLY_CAPITALISED.
 */
const NAME = `(coalesce(sum(s.named), 0) > 0 and ${MOSTLY_CAPITALISED})`;
/**
 * Of chunk_lexeme rows `s` grouped by lexeme, whether the jars write it with a capital: somewhere, and
 * MOSTLY_CAPITALISED (a word that only ever opens a sentence too, which NAME leaves out).
 */
const CAPITALISED = `(coalesce(sum(s.capitalised), 0) > 0 and ${MOSTLY_CAPITALISED})`;
/**
 * A uuid[] parameter as an initplan's value, which the planner does not look into. Given the readable jars as a
 * constant, PostgreSQL estimates `= any(...)` element by element against the column's most common values, each
 * time the list appears: planning the analysis of a query over 100 jars took 1.0-1.2 ms, against 0.25 ms this
 * way, for the same plan. For lookups led by the lexeme only, whose plan the jars' number does not change.
 */
const JARS_UNSEEN = '(select ?::uuid[])::uuid[]';
/**
 * One lexeme's statistics in the readable jars (one parameter: their ids, JARS_UNSEEN), as a lateral subquery
 * `(df, name)`: its chunks there (0 when none; chunk_lexeme keeps no row at 0) and NAME; for a slip's candidates, also
 * the jars holding it (HOLDERS) and CAPITALISED, which only a correction needs (spelledRight): for a common word over
 * 100 jars the holders are an aggregation of 100 rows with a sort. Its own lookup through the index led by the
 * lexeme: joined to a list of words instead, where the readable jars hold most of chunk_lexeme (100 jars of 100
 * chunks), PostgreSQL scanned all of it into a hash, 11 ms against well under one.
 */
function lexemeStats(em: EntityManager, lexeme: string, candidate = false): string {
  const spelling = candidate ? `${HOLDERS} as holders, ${CAPITALISED} as capitalised, ` : '';
  return `lateral (
    select coalesce(sum(s.chunks), 0)::int as df, ${spelling}${NAME} as name
    from "${em.config.get('schema')}"."chunk_lexeme" s
    where s.lexeme = ${lexeme} and s.honey_jar_id = any(${JARS_UNSEEN})
  )`;
}
/**
 * What checking the readable jars on the rows the words find costs against checking them through the jars' index
 * (keywordSearch, jarsCheckedOnRows): fetching and rechecking another jar's row the words found took about 2 µs,
 * reading one entry of the jars' index 40-90 ns (EXPLAIN ANALYZE over 100 jars of 1k chunks beside another jar's
 * 100k, and over 10k chunks beside 10k).
 */
const ROW_PER_INDEX_ENTRY = 40;
/** The most chunks a query of common words only is expected to match for them to be ranked. */
const COMMON_ONLY_MAX = 2000;

/** A lexeme of the query (or the jars' word a slip in it was taken for), as keyword search weighs it. */
export interface QueryTerm {
  /** The lexeme as a quoted tsquery operand. */
  operand: string;
  /** Chunks of the readable jars holding it. */
  df: number;
  /** 1 for the query's own lexemes; less for a slip's correction, the further it is from what was typed. */
  weight: number;
}

export interface AnalysedQuery {
  terms: QueryTerm[];
  /** Each slip (as typed, lower case) and the jars' lexeme taken for it (correctQuery writes the query out). */
  corrections: Map<string, string>;
  /** Each slip of `corrections` and its own lexeme, what the stemmer made of it ("warehuoses": "warehuos"). */
  slips: Map<string, string>;
  /** Each word of the query (lower case) the index keeps, stop words aside: its lexeme and the chunks holding it. */
  lexemes: Map<string, { lexeme: string; df: number }>;
  /**
   * Of each correction, the readable jars holding it, those with the most such chunks first, up to HOLDERS_READ:
   * where a passage showing how the jars write it is read (wordsAsWritten).
   */
  holders: Map<string, readonly string[]>;
  /** The lexemes of the query and the corrections that the readable jars write as names (NAME). */
  names: Set<string>;
  /** The corrections that the readable jars write with a capital (CAPITALISED). */
  capitalised: Set<string>;
  /** The readable jars' chunks. */
  chunks: number;
  /**
   * Every jar's chunks as PostgreSQL last estimated them (the chunk table's reltuples, kept by autovacuum and
   * analyze); 0 when it has no estimate yet.
   */
  allChunks: number;
}

/** `'lexeme'` as a tsquery operand: quotes doubled, backslashes escaped (lexemes from documents may hold both). */
export function tsqueryOperand(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** Any of the terms, for highlights; null when there are none. */
export function anyTerm(terms: readonly QueryTerm[]): string | null {
  return terms.length ? terms.map((t) => t.operand).join(' | ') : null;
}

/**
 * The query's lexemes as the index has them (stemmed, stop words gone), each with the number of the readable
 * jars' chunks holding it, from the term statistics the chunk table's triggers keep (chunk_lexeme); and, for a
 * word no readable chunk holds, the jars' words it may be a slip for. Two short statements.
 */
export async function analyseQuery(
  em: EntityManager,
  query: string,
  jarIds: readonly string[],
): Promise<AnalysedQuery> {
  const words = queryWords(query);
  if (words.length === 0 || jarIds.length === 0) {
    return {
      terms: [],
      corrections: new Map(),
      slips: new Map(),
      lexemes: new Map(),
      holders: new Map(),
      names: new Set(),
      capitalised: new Set(),
      chunks: 0,
      allChunks: 0,
    };
  }
  const jars = uuidArray(jarIds);
  const schema = em.config.get('schema');
  // The last row counts the jars' chunks (chunk_lexeme's empty lexeme), and carries PostgreSQL's estimate of every
  // jar's (a catalogue lookup).
  type Row = { word: string | null; lexeme: string; df: number; name: boolean; estimated: number | null };
  const rows = await preparedRows<Row>(
    em,
    `select * from (
       select w.word, l.lexeme, c.df, c.name, w.n, null::real as estimated
       from unnest(?::text[]) with ordinality w(word, n)
       cross join lateral unnest(to_tsvector('english', w.word)) l
       cross join ${lexemeStats(em, 'l.lexeme')} c
       union all
       select null, '', coalesce(sum(chunks), 0)::int, false, null,
         (select reltuples from pg_class where oid = '${chunkTable(em)}'::regclass)
       from "${schema}"."chunk_lexeme"
       where lexeme = '' and honey_jar_id = any(${JARS_UNSEEN})
     ) t order by t.n nulls last`,
    [textArray(words), jars, jars],
  );
  const total = rows.find((row) => row.word === null);
  const chunks = total?.df ?? 0;
  const allChunks = Math.max(0, Math.round(total?.estimated ?? 0));
  const counted: { word: string; lexeme: string; df: number }[] = [];
  const seen = new Set<string>();
  const lexemes = new Map<string, { lexeme: string; df: number }>();
  const holders = new Map<string, readonly string[]>();
  const names = new Set<string>();
  for (const row of rows) {
    if (row.word !== null && row.name) names.add(row.lexeme);
    if (row.word !== null && !lexemes.has(row.word))
      lexemes.set(row.word, { lexeme: row.lexeme, df: row.df });
    if (row.word === null || seen.has(row.lexeme) || counted.length >= MAX_LEXEMES) continue;
    seen.add(row.lexeme);
    counted.push({ word: row.word, lexeme: row.lexeme, df: row.df });
  }
  const slips = counted.filter(mayBeMisspelt);
  const meant = await likelyMeant(em, slips, jars, distinctiveUpTo(chunks));
  const terms: QueryTerm[] = counted.map((s) => ({ operand: tsqueryOperand(s.lexeme), df: s.df, weight: 1 }));
  const corrections = new Map<string, string>();
  const slipped = new Map<string, string>();
  const capitalised = new Set<string>();
  for (const slip of slips) {
    const candidates = meant.get(slip.lexeme) ?? [];
    if (candidates.length === 0) continue;
    corrections.set(slip.word, candidates[0].lexeme);
    slipped.set(slip.word, slip.lexeme);
    holders.set(candidates[0].lexeme, candidates[0].holders);
    if (candidates[0].name) names.add(candidates[0].lexeme);
    if (candidates[0].capitalised) capitalised.add(candidates[0].lexeme);
    for (const c of candidates) terms.push({ operand: tsqueryOperand(c.lexeme), df: c.df, weight: c.weight });
  }
  return { terms, corrections, slips: slipped, lexemes, holders, names, capitalised, chunks, allChunks };
}

/** A query as searched when words of it were taken for typing slips. */
export interface CorrectedQuery {
  /** The query with each slip replaced by the word taken for it, in the case the slip was typed in. */
  query: string;
  /** Each slip as typed and the word taken for it, as the documents write it. */
  words: { typed: string; searched: string }[];
}

/** What correctQuery and vectorQueryText read of the analysis. */
type Corrections = Pick<AnalysedQuery, 'corrections' | 'slips' | 'holders' | 'capitalised'>;

/**
 * The query with its slips corrected (`analyseQuery`'s corrections), each a word as the jars write it, in the
 * case it was typed in ("Tnofa" → "Tonofa", "WAREHUOSES" → "WAREHOUSES"; spelledRight); null when it has no
 * slip. What the vector half embeds, and what searchCorrection tells people.
 */
export async function correctQuery(
  em: EntityManager,
  query: string,
  analysed: Corrections,
): Promise<CorrectedQuery | null> {
  if (analysed.corrections.size === 0) return null;
  return writeQuery(query, analysed.corrections, await spelledRight(em, analysed));
}

/**
 * The query with each slip replaced by the word taken for it (`spelled`: slip as typed in lower case → word), in
 * the case the slip was typed in; with `names`, also each word whose lexeme is one of `names.of` capitalised.
 */
function writeQuery(
  query: string,
  corrections: ReadonlyMap<string, string>,
  spelled: ReadonlyMap<string, string>,
  names?: { lexemes: AnalysedQuery['lexemes']; of: ReadonlySet<string> },
): CorrectedQuery {
  const words: CorrectedQuery['words'] = [];
  const text = query.replace(/[\p{L}\p{N}]+/gu, (token) => {
    const lower = token.toLowerCase();
    const slip = corrections.get(lower);
    let word = token;
    if (slip !== undefined) {
      const searched = spelled.get(lower) ?? slip;
      if (!words.some((w) => w.typed === token)) words.push({ typed: token, searched });
      word = inCaseOf(token, searched.toLowerCase());
    }
    const lexeme = slip ?? names?.lexemes.get(lower)?.lexeme;
    if (lexeme === undefined || !names?.of.has(lexeme)) return word;
    return withCapital(word);
  });
  return { query: text, words };
}

/**
 * What the vector half embeds for a query, when it is not the query as typed: its slips corrected (the words
 * correctQuery gives), and, in a query typed all in lower case, the jars' names written with their capital
 * ("when does tonofa ship" → "when does Tonofa ship"). Embedders read capitals: the default one weighs a word
 * capitalised within a sentence as a name, the surest sign of what a passage is about, and would weigh a name
 * typed in lower case as any other word. A query with a capital is taken as its writer cased it. Which words are
 * names the analysis read with their counts (NAME). Null: the query as typed.
 */
export async function vectorQueryText(
  em: EntityManager,
  query: string,
  analysed: Corrections & Pick<AnalysedQuery, 'lexemes' | 'names'>,
): Promise<string | null> {
  const lowerCase = !/\p{Lu}/u.test(query);
  const slipped = analysed.corrections.size > 0;
  if (!slipped && !(lowerCase && analysed.names.size > 0)) return null;
  const spelled = slipped ? await spelledRight(em, analysed) : new Map<string, string>();
  const { query: text } = writeQuery(query, analysed.corrections, spelled, {
    lexemes: analysed.lexemes,
    of: lowerCase ? analysed.names : new Set(),
  });
  return text === query ? null : text;
}

/**
 * Each slip of the query (as typed, lower case) as the word taken for it is written. Where the stemmer took an
 * ending off the slip, that ending on the jars' lexeme ("warehuoses": "warehuos" + "es"; "warehous" + "es"), kept
 * when the stemmer makes the lexeme of it: the form the person typed. Where the jars write the word with a capital,
 * a name, the lexeme itself, which is a name's only form ("tnofa" → "Tonofa"); of the two, the closer to what was
 * typed. Else the word a passage writes (wordsAsWritten): a slip may have swallowed an ending ("harvestd" is
 * "harvested", not "harvest"); and that word too where the passages write the lexeme itself, a whole word ("leads"
 * taken for "led" reads "led", not "leds"). The spellings cost one statement that reads no table and one that
 * reads a passage per word; a passage is the chunk kept
 * for the word in one of the jars holding it, read by its key, which the vector half waits for: over 100 jars of
 * 100k chunks, reading a slip's spelling took p50 0.80 ms that way, against 1.24 ms finding a chunk in the jars
 * (p99 2.08 against 2.69 ms; 0.89 against 1.43 ms at p50 on first reads; 72 slips, each read both ways).
 */
function spelledRight(em: EntityManager, analysed: Corrections): Promise<Map<string, string>> {
  return sharedPromise(spellings, analysed, () => spell(em, analysed));
}

/**
 * Each analysis' spellings, worked out once: search's vector half and searchCorrection read one analysis when a
 * request asks both of the same query (search.ts, analysisOf), as the web app does.
 */
const spellings = new WeakMap<Corrections, Promise<Map<string, string>>>();

async function spell(em: EntityManager, analysed: Corrections): Promise<Map<string, string>> {
  // Each slip's possible spellings, the one preferred on a tie first.
  const guesses: { typed: string; word: string; lexeme: string }[] = [];
  for (const [typed, lexeme] of analysed.corrections) {
    const own = analysed.slips.get(typed);
    if (own === undefined || !typed.startsWith(own)) continue;
    if (analysed.capitalised.has(lexeme)) guesses.push({ typed, word: lexeme, lexeme });
    if (typed.length > own.length) guesses.push({ typed, word: lexeme + typed.slice(own.length), lexeme });
  }
  const spelled = new Map<string, string>();
  if (guesses.length > 0) {
    const rows = await preparedRows<{ n: string }>(
      em,
      `select g.n from unnest(?::text[], ?::text[]) with ordinality g(word, lexeme, n)
       where tsvector_to_array(to_tsvector('english', g.word)) = array[g.lexeme] order by g.n`,
      [textArray(guesses.map((g) => g.word)), textArray(guesses.map((g) => g.lexeme))],
    );
    // Of a slip's spellings the stemmer confirms, the closest to what was typed: the ending the stemmer took off
    // may be the slip's own letters ("dordxe" is "dordx" + "e", but meant "dordex", not "dordexe").
    for (const { typed, word } of rows.map(({ n }) => guesses[Number(n) - 1])) {
      const kept = spelled.get(typed);
      if (kept === undefined || editDistance(typed, word) < editDistance(typed, kept))
        spelled.set(typed, word);
    }
  }
  // How the passages write each word taken for a slip, in one statement for all of them: the spelling of a slip
  // the stemmer confirmed no form of, and the check on those it did. A slip's ending kept on a word the passages
  // write just as the index keeps it makes a word no passage writes: "leads", taken for a slip of "led" (the
  // stemmer keeps "led" whole), would read "leds". Such a word is shown as the passages write it, at the cost of
  // an ending the person typed ("quartrs" reads "quarter", not "quarters"), never as a word that does not exist.
  // A name already spelled (the jars' word with its capital) needs no passage: the statement is left out when
  // every slip is one.
  const unchecked = [...analysed.corrections].filter(
    ([typed, lexeme]) => !spelled.has(typed) || !analysed.capitalised.has(lexeme),
  );
  if (unchecked.length > 0) {
    const written = await wordsAsWritten(em, [...new Set(unchecked.map(([, l]) => l))], analysed.holders);
    for (const [typed, lexeme] of unchecked) {
      const asWritten = written.get(lexeme) ?? lexeme;
      const wholeWord = !analysed.capitalised.has(lexeme) && asWritten.toLowerCase() === lexeme;
      if (!spelled.has(typed) || wholeWord) spelled.set(typed, asWritten);
    }
  }
  for (const [typed, lexeme] of analysed.corrections) {
    if (analysed.capitalised.has(lexeme)) spelled.set(typed, withCapital(spelled.get(typed)!));
  }
  return spelled;
}

// A lexeme is a word as the index keeps it (stemmed, lower case: "warehous"); people read the word as written. The
// statement below reads a chunk holding a word in the (up to three) readable jars holding most of them (the
// analysis' holders): the chunk chunk_lexeme keeps for the word in one of those jars (its example, the last chunk
// written with it), read by its key, if it is still there; else one found through the database function
// passages_holding: one index, the jars' or the word's, whichever is expected to name fewer rows, and no sequential
// scan. Asked for the first few matches over every readable jar, PostgreSQL planned a sequential scan stopping at
// them, which read through other jars' rows first wherever those lay before the readable ones (rows are stored in
// the order written); given both indexes, it intersected them, reading a jar's every entry. Over 100 jars of 1k
// chunks stored after another jar's 100k, 60 words asked three at a time: the scan up to 144-295 ms (p50 3.2-3.6
// ms), the function up to 12-15 ms (p50 2.3-2.9 ms); in that other jar alone, the intersection took 40 ms (p50), the
// function 2.3 ms.
/**
 * The rows `w(lexeme, operand, jars)` the statement below reads passages for, one per lexeme with holders, and
 * their values; null when no readable jar holds any of the lexemes.
 */
function heldWords(
  lexemes: readonly string[],
  holders: ReadonlyMap<string, readonly string[]>,
): { rows: string; values: string[] } | null {
  const held = lexemes.filter((lexeme) => holders.get(lexeme)?.length);
  if (held.length === 0) return null;
  return {
    rows: 'unnest(?::text[], ?::text[], ?::text[]) w(lexeme, operand, jars)',
    values: [
      textArray(held),
      textArray(held.map(tsqueryOperand)),
      textArray(held.map((lexeme) => uuidArray(holders.get(lexeme)!))),
    ],
  };
}

/** The database function reading the passages of jars holding a word (migration passages_holding). */
function passagesHolding(em: EntityManager): string {
  return `"${em.config.get('schema')}"."passages_holding"`;
}

const MARK_START = '\u27e6';
const MARK_END = '\u27e7';
/** A word ts_headline marked (matchAll copies the expression, so one serves every caller). */
const MARKED = new RegExp(`${MARK_START}([\\p{L}\\p{N}]+)${MARK_END}`, 'gu');
const WRITTEN = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=5, MinWords=1, MaxFragments=1`;

/**
 * Each lexeme as a passage of these jars writes it ("Warehouses" for "warehous"): the word ts_headline marks for it
 * in a chunk holding it (title, headings and text, as indexed), the one kept for it while it is there; the lexeme
 * itself when none is marked.
 */
async function wordsAsWritten(
  em: EntityManager,
  lexemes: readonly string[],
  holders: ReadonlyMap<string, readonly string[]>,
): Promise<Map<string, string>> {
  const written = new Map(lexemes.map((lexeme) => [lexeme, lexeme]));
  const held = heldWords(lexemes, holders);
  if (!held) return written;
  const schema = em.config.get('schema');
  // Coalesce calls the function only for a word whose kept chunks are gone.
  const rows = await em.getConnection().execute<{ lexeme: string; headline: string | null }[]>(
    `select w.lexeme, coalesce(
       (select ts_headline('english', concat_ws(' ', c.document_title, array_to_string(c.heading_path, ' '), c.text),
           w.operand::tsquery, ?)
         from "${schema}"."chunk_lexeme" s join "${schema}"."chunk" c on c.id = s.example
         where s.lexeme = w.lexeme and s.honey_jar_id = any(w.jars::uuid[]) and c.search_vector @@ w.operand::tsquery
         limit 1),
       (${passagesHolding(em)}(w.operand::tsquery, w.lexeme, w.jars::uuid[], 1, ?, true))[1]) as headline
     from ${held.rows}`,
    [WRITTEN, WRITTEN, ...held.values],
  );
  for (const row of rows) {
    // A passage may hold the marks' characters itself: of the words marked, the one closest to the lexeme.
    const words = [...(row.headline ?? '').matchAll(MARKED)].map((match) => match[1]);
    const distance = (word: string) => editDistance(row.lexeme, word.toLowerCase());
    const word = words.sort((a, b) => distance(a) - distance(b))[0];
    if (word) written.set(row.lexeme, word);
  }
  return written;
}

/** Ids of the best `limit` chunks of these jars for the analysed query, best first. */
export async function keywordSearch(
  em: EntityManager,
  analysed: Pick<AnalysedQuery, 'terms' | 'chunks' | 'allChunks'>,
  jarIds: readonly string[],
  limit: number,
): Promise<string[]> {
  const present = analysed.terms.filter((s) => s.df > 0).map((s) => ({ ...s, df: Math.min(s.df, DF_CAP) }));
  if (present.length === 0 || jarIds.length === 0) return [];
  const informative = present.filter((s) => s.df < DF_CAP);
  // With only common words to select by, a chunk holding one of them is weak evidence, and those holding any run
  // into tens of thousands: the candidates are the chunks holding all of them, when so few are expected to (the
  // words taken as independent) that ranking them all is cheap; otherwise there are none, and the vector list
  // answers. The GIN index intersects the words' entries, so only those chunks are read. Only the query's own
  // words count (a slip's corrections are alternatives, not words that must all be there). A sample of the chunks
  // holding any of them, a LIMIT over matches PostgreSQL expected everywhere, was planned as a sequential scan
  // stopping at the first ones found: 100-330 ms where the readable jars' rows lie behind other jars' (see the
  // note before wordsAsWritten), and an arbitrary few thousand of tens of thousands ranked.
  const own = analysed.terms.filter((s) => s.df > 0 && s.weight === 1);
  const expected = own.reduce((n, s) => (n * s.df) / analysed.chunks, analysed.chunks);
  if (informative.length === 0 && !(own.length > 0 && expected <= COMMON_ONLY_MAX)) return [];
  const selecting = informative.length > 0 ? informative : own;
  const idf = (df: number) => Math.log(1 + DF_CAP / df);
  const terms = present.map(
    (s) => `${(s.weight * idf(s.df)).toFixed(4)} * ts_rank(c.search_vector, ${literal(s.operand)}::tsquery)`,
  );
  // Where reading the jars' index would cost more than fetching the other jars' rows the words find, the readable
  // jars are checked on those rows only, written as an expression no index serves (jarsCheckedOnRows).
  const matches =
    informative.length > 0
      ? Math.min(
          analysed.chunks,
          informative.reduce((n, s) => n + s.df, 0),
        )
      : expected;
  const readable = jarsCheckedOnRows(analysed, matches)
    ? 'coalesce(c.honey_jar_id = any(?::uuid[]), false)'
    : 'c.honey_jar_id = any(?::uuid[])';
  const rows = await em.getConnection().execute<{ id: string }[]>(
    `select c.id from ${chunkTable(em)} c
     where ${readable} and c.search_vector @@ ?::tsquery
     order by ${terms.join(' + ')} desc, c.created_at desc, c.document_id, c.ordinal limit ?`,
    [uuidArray(jarIds), selecting.map((s) => s.operand).join(informative.length > 0 ? ' | ' : ' & '), limit],
  );
  return rows.map((row) => row.id);
}

/**
 * Whether keyword search checks the readable jars on the rows its words find rather than through the jars' index,
 * for a query expected to find `matches` of the readable jars' chunks. Given the jars as a condition an index can
 * serve, PostgreSQL ANDs the words' bitmap with the jars', reading an index entry for every chunk of theirs: over
 * 100 jars of 1k chunks each, with or without another jar's 100k beside them, 100k entries (3.7-9.4 ms of an
 * 11 ms statement) to leave out the few hundred rows of other jars the words found, or none. Checked on the rows
 * instead, each such row is fetched and rechecked (about 2 µs; ROW_PER_INDEX_ENTRY). So the rows are checked where
 * the other jars' rows the words are expected to find (the readable jars' matches in proportion to the other jars'
 * chunks, every jar's from PostgreSQL's estimate) cost less than the index entries. The jars' share of all chunks
 * alone cannot tell: at half of them, over 10k chunks beside another jar's 10k, checking on the rows fetched twice
 * the rows, and PostgreSQL, expecting a fifth of the table to match, scanned all of it (p90 20.6 ms against 6.3
 * through the index); over 100 jars of 1k beside another jar's 100k, the reverse (p50 4.3 against 7.2 ms).
 * Without an estimate yet (0), the index.
 */
export function jarsCheckedOnRows(
  analysed: Pick<AnalysedQuery, 'chunks' | 'allChunks'>,
  matches: number,
): boolean {
  if (analysed.allChunks <= 0 || analysed.chunks <= 0) return false;
  const others = Math.max(0, analysed.allChunks - analysed.chunks);
  const otherMatches = (Math.max(0, matches) * others) / analysed.chunks;
  return otherMatches * ROW_PER_INDEX_ENTRY <= analysed.chunks;
}

/** A string as an SQL literal (standard_conforming_strings: only quotes are doubled). */
function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

// A query word no readable chunk holds may be a typing slip ("tnofa" for "tonofa"). Its candidates are the jars'
// lexemes one edit away (looked up exactly) and, in longer words where none of those is, the most similar ones by
// trigrams (pg_trgm) for slips of two edits; those within allowedEdits of it are kept, the closest first, more
// common first among equals, each weighed by how close it is.
// A slip is taken for a distinctive word only: one in at most 5% of the readable chunks (or in 3, in small jars).
// The words people misspell in a search box are the rare ones a question hinges on (names, terms of the trade);
// a query word the jars lack that is close to a common word is far more often a word the jars simply do not use
// ("money" beside "month"), and the common word, weighing little anyway, would only change what is asked.
const DISTINCTIVE_SHARE = 0.05;
const DISTINCTIVE_FLOOR = 3;
const SIMILAR_PER_WORD = 2;
const TRIGRAM_CANDIDATES = 5;
const MIN_FUZZY_LENGTH = 4;

function distinctiveUpTo(chunks: number): number {
  return Math.max(DISTINCTIVE_FLOOR, Math.floor(DISTINCTIVE_SHARE * chunks));
}

function mayBeMisspelt(stat: { lexeme: string; df: number }): boolean {
  return (
    stat.df === 0 &&
    stat.lexeme.length >= MIN_FUZZY_LENGTH &&
    stat.lexeme.length <= MAX_SLIP_LENGTH &&
    !/\d/.test(stat.lexeme)
  );
}

/**
 * A lexeme of the jars a slip may have meant: its chunks, holders (HOLDERS), NAME, CAPITALISED and weight
 * (closeness).
 */
interface Candidate {
  lexeme: string;
  df: number;
  holders: string[];
  name: boolean;
  capitalised: boolean;
  weight: number;
}

async function likelyMeant(
  em: EntityManager,
  slips: readonly { lexeme: string }[],
  jars: string,
  maxDf: number,
): Promise<Map<string, Candidate[]>> {
  const meant = new Map<string, Candidate[]>();
  if (slips.length === 0) return meant;
  const schema = em.config.get('schema');
  // The variants one edit away are looked up exactly, one at a time through the index led by the lexeme: about
  // 2 ms for 500 variants over 100 jars of 100k chunks. Joined to the list, or with the list as a sub-select,
  // PostgreSQL probed every jar's key for each: 35-116 ms.
  const variants = [...new Set(slips.flatMap((slip) => oneEditAway(slip.lexeme)))];
  // A slip of two edits is allowed in longer words only, and taken only when none of one edit is there (the
  // closest candidates win below): those are found by trigram similarity (pg_trgm) among the jars' vocabulary, one
  // row a word (similar_lexemes, migration lexeme_vocabulary), their counts then read in the readable jars as the
  // variants' are; looked up beside the exact variants rather than after them, so that a slip of two edits waits
  // for one statement, not two. Both statements are prepared: planned afresh, the trigram one cost a misspelt
  // query's analysis 0.75 ms more (p50 2.51 against 1.76 ms in one jar of 10k chunks, 8.93 against 8.16 over 100
  // jars of 200 chunks; 400 queries a round, rounds alternating).
  const further = slips.filter((slip) => allowedEdits([...slip.lexeme].length) > 1);
  const [near, similar] = await Promise.all([
    preparedRows<Omit<Candidate, 'weight'>>(
      em,
      `select v.variant as lexeme, c.df, c.holders, c.name, c.capitalised
       from unnest(?::text[]) v(variant)
       cross join ${lexemeStats(em, 'v.variant', true)} c
       where c.df > 0`,
      [textArray(variants), jars],
    ),
    further.length
      ? preparedRows<Omit<Candidate, 'weight'> & { slip: string }>(
          em,
          `select m.slip, l.lexeme, l.df, l.holders, l.name, l.capitalised
           from unnest(?::text[]) m(slip)
           cross join lateral (
             select v.lexeme, c.df, c.holders, c.name, c.capitalised
             from "${schema}".similar_lexemes(m.slip) v
             cross join ${lexemeStats(em, 'v.lexeme', true)} c
             where c.df > 0
             order by v.similarity desc, v.lexeme
             limit ${TRIGRAM_CANDIDATES}
           ) l`,
          [textArray(further.map((slip) => slip.lexeme)), jars],
        )
      : [],
  ]);
  const distinctive = (row: { df: number }) => row.df <= maxDf;
  for (const slip of slips) {
    const candidates = new Map<string, Omit<Candidate, 'weight'>>();
    for (const row of [...near, ...similar.filter((row) => row.slip === slip.lexeme)]) {
      candidates.set(row.lexeme, row);
    }
    const scored = [...candidates.values()]
      .map((row) => ({ row, edits: editDistance(slip.lexeme, row.lexeme) }))
      .filter(({ row, edits }) => distinctive(row) && edits <= allowedEdits([...slip.lexeme].length));
    if (scored.length === 0) continue;
    const closest = Math.min(...scored.map(({ edits }) => edits));
    meant.set(
      slip.lexeme,
      scored
        .filter(({ edits }) => edits === closest)
        .sort((a, b) => b.row.df - a.row.df || (a.row.lexeme < b.row.lexeme ? -1 : 1))
        .slice(0, SIMILAR_PER_WORD)
        .map(({ row, edits }) => ({
          lexeme: row.lexeme,
          df: row.df,
          holders: row.holders,
          name: row.name,
          capitalised: row.capitalised,
          weight: 1 - edits / Math.max([...slip.lexeme].length, [...row.lexeme].length),
        })),
    );
  }
  return meant;
}
