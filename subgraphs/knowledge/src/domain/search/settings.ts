// Search's settings (`knowledge.search` in config.yml), with the defaults used when a runtime has no config.

export interface SearchSettings {
  keywordWeight: number;
  vectorWeight: number;
  rrfK: number;
  candidatesPerHit: number;
  maxResults: number;
  /**
   * In hybrid search, vector hits less similar (cosine) to the query than this do not vote: the nearest of
   * unrelated passages would otherwise outrank keyword hits whenever no passage is close (a misspelt name).
   */
  minSimilarity: number;
  /**
   * Chroma's HNSW ef_search for the jars' collections. 400 by default: at 100k chunks in one collection it returns
   * 0.60 of the exact 10 nearest, against 0.37 at Chroma's own default of 100, for about 2 ms more a query
   * (search-latency.bench.ts).
   */
  efSearch: number;
}

/**
 * The vector list's weight when config sets none. A model's vectors carry meaning the keyword index has not: they
 * vote as much as the keyword list (1). The hashing embedder's vectors are made of the same words (and their
 * spellings) as the keyword index: they break ties between keyword hits and answer where no keyword matched, but
 * at full weight a passage sharing a few common words with the query outvotes the keyword list's best. On the
 * generated retrieval corpus (search-quality.bench.ts, 2 to 8 documents per format), hybrid search at 0.1 was as
 * good as or better than at 1 on recall@5 and MRR@10 at every size (MRR 0.782 against 0.770 at 4 per format).
 */
export function defaultVectorWeight(embeddingsProvider: string | undefined): number {
  return embeddingsProvider === undefined || embeddingsProvider === 'hashing' ? 0.1 : 1;
}

export const DEFAULT_SEARCH_SETTINGS: SearchSettings = Object.freeze({
  keywordWeight: 1,
  vectorWeight: defaultVectorWeight('hashing'),
  rrfK: 60,
  candidatesPerHit: 5,
  maxResults: 50,
  minSimilarity: 0.15,
  efSearch: 400,
});

export function searchSettingsFrom(config: unknown): SearchSettings {
  const knowledge = (
    config as {
      knowledge?: { search?: Partial<SearchSettings>; embeddings?: { provider?: string } };
    } | null
  )?.knowledge;
  const section = knowledge?.search;
  const vectorWeight = section?.vectorWeight ?? defaultVectorWeight(knowledge?.embeddings?.provider);
  return { ...DEFAULT_SEARCH_SETTINGS, ...section, vectorWeight };
}
