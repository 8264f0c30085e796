// Hybrid search strictly within what the viewer may read. The readable jars are decided here from knowledge's
// read model of jar access (a client's list only narrows them); both the keyword and the vector query are run
// on those jars alone, and the fused hits are read back through the same read filter before anyone sees them.
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  BadUserInputError,
  MAX_JAR_SELECTION,
  pageSize,
  preparedRows,
  sharedPromise,
  type Viewer,
  uuidArray,
} from '@sting/kit';
import type { Logger } from 'pino';
import { readableJarsSql } from '../jar-access/policies.ts';
import { accessTables } from '../jar-access/read-model.ts';
import { isJarId, readableJarIds } from '../jar-access/access.ts';
import { reciprocalRankFusion } from './fusion.ts';
import {
  analyseQuery,
  anyTerm,
  chunkTable,
  correctQuery,
  keywordSearch,
  vectorQueryText,
  type AnalysedQuery,
  type CorrectedQuery,
  type QueryTerm,
} from './keyword.ts';
import type { SearchSettings } from './settings.ts';
import { byDistance, modelKey, VECTOR_TIMEOUT_MS, type EmbeddingModel, type JarVectors } from './vectors.ts';

export const MAX_QUERY_CHARS = 1000;

/** Turns a query into a vector with the model a jar's collection was built with (null: no such embedder here). */
export type QueryEmbedders = (
  model: EmbeddingModel,
) => Promise<{ embed(texts: readonly string[]): Promise<Float32Array[]> } | null>;

export interface SearchRequest {
  query: string;
  honeyJarIds?: readonly string[] | null;
  first?: number | null;
  /** Which lists to fuse (benchmarks compare them); both by default. */
  mode?: 'hybrid' | 'keyword' | 'vector';
}

export interface SearchHitRow {
  chunkId: string;
  score: number;
  text: string;
  highlights: string[];
  headingPath: string[];
  page: number | null;
  chunkVersion: string;
  /** The keyword search found it (its text, title or headings share a word with the query). */
  keywordMatch: boolean;
  /** Cosine similarity of its vector to the query's (1 - distance), or null when the vector search missed it. */
  similarity: number | null;
  documentId: string;
  documentTitle: string;
  fileType: string;
  honeyJarId: string;
  honeyJarName: string;
  ordinal: number;
}

export interface SearchDeps {
  em: EntityManager;
  vectors: JarVectors;
  embedders: QueryEmbedders;
  settings: SearchSettings;
  logger?: Pick<Logger, 'warn'>;
  /** The request's query analyses (analysisOf), when it keeps them: one per request, never longer. */
  analyses?: QueryAnalyses;
}

/** A request's query analyses by query and jars (KnowledgeLoaders.queryAnalyses). */
export type QueryAnalyses = Map<string, Promise<AnalysedQuery>>;

/**
 * The query's analysis over these jars, kept in the request's `analyses` when given: the web app asks `search` and
 * `searchCorrection` of the same query in one operation, and both read the same analysis (its statements, and a
 * passage read for a slip, run once). Kept per request only, as the jars' words change with every upload; a failed
 * one is not kept.
 */
function analysisOf(
  analyses: QueryAnalyses | undefined,
  em: EntityManager,
  query: string,
  jarIds: readonly string[],
): Promise<AnalysedQuery> {
  if (!analyses) return analyseQuery(em, query, jarIds);
  return sharedPromise(analyses, `${[...jarIds].sort().join(',')} ${query}`, () =>
    analyseQuery(em, query, jarIds),
  );
}

/** Refuses what is not a query (BAD_USER_INPUT naming the argument); returns the trimmed query and limit. */
export function validateSearch(
  request: SearchRequest,
  settings: SearchSettings,
): { query: string; first: number } {
  const query = request.query?.trim() ?? '';
  if (query.length === 0) throw new BadUserInputError('query must not be empty', 'query');
  if (query.length > MAX_QUERY_CHARS) {
    throw new BadUserInputError(`query must be at most ${MAX_QUERY_CHARS} characters`, 'query');
  }
  if (query.includes('\0')) throw new BadUserInputError('query must not contain NUL characters', 'query');
  const first = pageSize(request.first, { default: 10, max: settings.maxResults });
  // Each jar named is checked against what the viewer may read: thousands of them cost a request half a second.
  // Counted once each, as Bee counts them: a jar named twice is one jar searched.
  if (new Set(request.honeyJarIds ?? []).size > MAX_JAR_SELECTION)
    throw new BadUserInputError(
      `honeyJarIds names at most ${MAX_JAR_SELECTION} honey jars; leave it out to search every jar you may read`,
      'honeyJarIds',
    );
  for (const id of request.honeyJarIds ?? []) {
    if (!isJarId(id)) throw new BadUserInputError('honeyJarIds must be honey jar ids', 'honeyJarIds');
  }
  return { query, first };
}

export async function search(
  deps: SearchDeps,
  viewer: Viewer | null,
  request: SearchRequest,
): Promise<SearchHitRow[]> {
  const { query, first } = validateSearch(request, deps.settings);
  // Jars named by the client that are unknown or not readable are dropped alike, so the answer never tells
  // whether a jar the viewer may not read exists.
  const jarIds = await readableJarIds(deps.em, viewer, request.honeyJarIds ?? undefined);
  if (jarIds.length === 0) return [];
  const candidates = Math.max(50, first * deps.settings.candidatesPerHit);
  const mode = request.mode ?? 'hybrid';
  // Both halves search for what the viewer meant: the keyword half with the query's words and the jars' words
  // its slips were taken for, the vector half with the query as the documents write it (slips corrected, and in
  // a query typed in lower case, names capitalised: vectorQueryText). The vector half reads the serving indexes
  // at once and embeds the query once the analysis says what it searches for. Embedding the query as typed beside
  // the analysis, and again when it was rewritten, gained nothing even with the hashing embedder (100 jars of 10k
  // chunks, 1,200 searches a row in alternating rounds: p50 7.64 against 7.55 ms waiting, and 12.32 against 12.01
  // with a misspelt word) and cost a model provider a second call per rewritten query.
  const analysis = analysisOf(deps.analyses, deps.em, query, jarIds);
  const vectorHits =
    mode === 'keyword'
      ? Promise.resolve([])
      : vectorSearchOrNothing(deps, rewritten(deps, query, analysis), jarIds, candidates);
  const analysed = await analysis;
  const [keyword, vector] = await Promise.all([
    mode === 'vector' ? [] : keywordSearch(deps.em, analysed, jarIds, candidates),
    vectorHits,
  ]);
  const similarity = new Map(vector.map((hit) => [hit.id, 1 - hit.distance]));
  const voting =
    mode === 'hybrid' ? vector.filter((hit) => 1 - hit.distance >= deps.settings.minSimilarity) : vector;
  const fused = reciprocalRankFusion([keyword, voting.map((hit) => hit.id)], {
    k: deps.settings.rrfK,
    weights: [deps.settings.keywordWeight, deps.settings.vectorWeight],
  }).slice(0, first * 2); // room for candidates the read-back drops (a vector whose row is gone)
  if (fused.length === 0) return [];
  const rows = await readHits(
    deps.em,
    viewer,
    analysed.terms,
    fused.map((f) => f.id),
    first,
  );
  const byId = new Map(rows.map((row) => [row.chunkId, row]));
  return fused
    .flatMap((f) => {
      const row = byId.get(f.id);
      return row
        ? [
            {
              ...row,
              score: f.score,
              keywordMatch: f.ranks[0] !== null,
              similarity: similarity.get(f.id) ?? null,
            },
          ]
        : [];
    })
    .slice(0, first);
}

/**
 * What `search` with the same query and jars searches for when it takes words of the query for typing slips;
 * null when it searches the words as typed. Decided from the jars the viewer may read, as search is: the words
 * offered come from those jars only, narrowed by `readableNow` (the jars honey-jars says the viewer may still
 * read: access taken away applies at once, before the read model hears of it).
 */
export async function searchCorrection(
  em: EntityManager,
  viewer: Viewer | null,
  request: Pick<SearchRequest, 'query' | 'honeyJarIds'>,
  settings: SearchSettings,
  readableNow: (jarIds: string[]) => Promise<string[]> = async (jarIds) => jarIds,
  analyses?: QueryAnalyses,
): Promise<CorrectedQuery | null> {
  const { query } = validateSearch({ ...request, first: 1 }, settings);
  const jarIds = await readableNow(await readableJarIds(em, viewer, request.honeyJarIds ?? undefined));
  if (jarIds.length === 0) return null;
  return correctQuery(em, query, await analysisOf(analyses, em, query, jarIds));
}

/**
 * The query the vector half searches for once the analysis is done: vectorQueryText's, else the query as typed.
 * A failed analysis fails the search itself (search awaits it), so here it leaves the query as typed.
 */
async function rewritten(deps: SearchDeps, query: string, analysis: Promise<AnalysedQuery>): Promise<string> {
  const analysed = await analysis.catch(() => null);
  return (analysed && (await vectorQueryText(deps.em, query, analysed))) ?? query;
}

/**
 * The vector half, or nothing when Chroma fails or is slower than VECTOR_TIMEOUT_MS: search then answers from
 * keywords alone (logged) rather than failing or hanging with the vector store.
 */
async function vectorSearchOrNothing(
  deps: SearchDeps,
  searched: Promise<string>,
  jarIds: string[],
  limit: number,
) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${VECTOR_TIMEOUT_MS} ms`)),
      VECTOR_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([vectorSearch(deps, searched, jarIds, limit), timeout]);
  } catch (err) {
    deps.logger?.warn({ err }, 'vector search failed; answering from keywords alone');
    return [];
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Nearest chunks across the jars' serving collections, each model's jars queried with that model's vector of the
 * query `searched` gives (the serving indexes are read meanwhile).
 */
async function vectorSearch(
  deps: SearchDeps,
  searched: Promise<string>,
  jarIds: string[],
  limit: number,
): Promise<{ id: string; distance: number }[]> {
  const indexes = await deps.vectors.servingIndexes(deps.em, jarIds);
  const byModel = new Map<string, typeof indexes>();
  for (const index of indexes) {
    const group = byModel.get(modelKey(index));
    if (group) group.push(index);
    else byModel.set(modelKey(index), [index]);
  }
  const hits = (
    await Promise.all(
      [...byModel.values()].map(async (group) => {
        const embedder = await deps.embedders(group[0]);
        if (!embedder) return []; // no embedder for an old model here: keyword hits still serve those jars
        const [vector] = await embedder.embed([await searched]);
        return deps.vectors.nearest(deps.em, group, vector, limit);
      }),
    )
  ).flat();
  return hits.sort(byDistance).slice(0, limit);
}

const HEADLINE =
  'StartSel=**, StopSel=**, MaxWords=30, MinWords=12, MaxFragments=3, FragmentDelimiter=" ¦¦ "';

/**
 * The first `first` of the hits (`ids`, best first) whose rows pass the read rule, re-checked here, with the
 * query's words marked `**like this**` in them. Only the rows answered are marked: ts_headline, the costliest part
 * of the statement, ran on every hit read before (twice the rows answered, for room).
 */
async function readHits(
  em: EntityManager,
  viewer: Viewer | null,
  terms: readonly QueryTerm[],
  ids: string[],
  first: number,
): Promise<Omit<SearchHitRow, 'score' | 'keywordMatch' | 'similarity'>[]> {
  const { jars, members } = accessTables(em);
  const filter = readableJarsSql(viewer, members);
  const tsquery = anyTerm(terms.filter((term) => term.df > 0));
  const rows = await preparedRows<Record<string, unknown>>(
    em,
    `select h.id, h.text, h.heading_path, h.page, h.version, h.document_id, h.document_title, h.file_type,
       h.honey_jar_id, h.ordinal, h.jar_name,
       ${tsquery ? `case when h.search_vector @@ ?::tsquery then ts_headline('english', h.text, ?::tsquery, '${HEADLINE}') end` : 'null'} as headline
     from (
       select c.id, c.text, c.heading_path, c.page, c.version, c.document_id, c.document_title, c.file_type,
         c.honey_jar_id, c.ordinal, c.search_vector, a.name as jar_name
       from unnest(?::uuid[]) with ordinality f(id, n)
       join ${chunkTable(em)} c on c.id = f.id
       join ${jars} a on a.honey_jar_id = c.honey_jar_id
       where ${filter.sql}
       order by f.n limit ?
     ) h`,
    [...(tsquery ? [tsquery, tsquery] : []), uuidArray(ids), ...filter.params, first],
  );
  return rows.map((row) => ({
    chunkId: row.id as string,
    text: row.text as string,
    highlights: highlightsOf(row.headline as string | null),
    headingPath: (row.heading_path as string[]) ?? [],
    page: (row.page as number | null) ?? null,
    chunkVersion: row.version as string,
    documentId: row.document_id as string,
    documentTitle: row.document_title as string,
    fileType: row.file_type as string,
    honeyJarId: row.honey_jar_id as string,
    honeyJarName: row.jar_name as string,
    ordinal: row.ordinal as number,
  }));
}

/** ts_headline's fragments that mark a query word (a title-only match marks nothing in the text). */
function highlightsOf(headline: string | null): string[] {
  if (!headline) return [];
  return headline
    .split(' ¦¦ ')
    .map((fragment) => fragment.trim())
    .filter((fragment) => /\*\*[^*]+\*\*/.test(fragment));
}
