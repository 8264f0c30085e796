// Search's settings (`knowledge.search` in config.yml), with the defaults used when a runtime has no config.

export interface SearchSettings {
  keywordWeight: number;
  vectorWeight: number;
  rrfK: number;
  candidatesPerHit: number;
  maxResults: number;
  /** Chroma's HNSW ef_search for the jars' collections. */
  efSearch: number;
}

export const DEFAULT_SEARCH_SETTINGS: SearchSettings = Object.freeze({
  keywordWeight: 1,
  vectorWeight: 1,
  rrfK: 60,
  candidatesPerHit: 5,
  maxResults: 50,
  efSearch: 400,
});

export function searchSettingsFrom(config: unknown): SearchSettings {
  const section = (config as { knowledge?: { search?: Partial<SearchSettings> } } | null)?.knowledge?.search;
  return { ...DEFAULT_SEARCH_SETTINGS, ...section };
}
