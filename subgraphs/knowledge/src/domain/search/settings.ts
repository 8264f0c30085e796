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

export const DEFAULT_SEARCH_SETTINGS: SearchSettings = Object.freeze({
  keywordWeight: 1,
  vectorWeight: 1,
  rrfK: 60,
  candidatesPerHit: 5,
  maxResults: 50,
  minSimilarity: 0.15,
  efSearch: 400,
});

export function searchSettingsFrom(config: unknown): SearchSettings {
  const section = (config as { knowledge?: { search?: Partial<SearchSettings> } } | null)?.knowledge?.search;
  return { ...DEFAULT_SEARCH_SETTINGS, ...section };
}
