// What Bee needs from knowledge search, and how the hits become the numbered passages of a prompt: the best by
// hybrid score above a relevance floor, one per chunk, and no more than `topK`.

export interface SearchHit {
  chunkId: string;
  /** Changes whenever the chunk's text does; part of the answer cache key. */
  chunkVersion: string;
  score: number;
  text: string;
  page: number | null;
  document: { id: string; title: string };
  honeyJar: { id: string; name: string };
  /** Knowledge's keyword search found it (absent: treated as found). */
  keywordMatch?: boolean;
  /** Cosine similarity to the question, null when the vector search missed it. */
  similarity?: number | null;
}

/** Who is asking: the retriever searches as this person and never wider. */
export interface RetrievalScope {
  requestId: string;
  /** The gateway's assertion of the person for knowledge (audience `knowledge`), forwarded as it came. */
  delegatedIdentity?: string;
}

export interface Retriever {
  /** `honeyJarIds` null: every jar the person may read. Rejects when search cannot be reached. */
  search(
    query: string,
    honeyJarIds: readonly string[] | null,
    first: number,
    scope: RetrievalScope,
  ): Promise<SearchHit[]>;
  /**
   * Which of these documents the person may read now (a stored answer's citations are checked again on every
   * read). Rejects when knowledge cannot be reached.
   */
  readableDocuments(documentIds: readonly string[], scope: RetrievalScope): Promise<ReadonlySet<string>>;
}

/** A hit as the prompt numbers it (`index` is what `[n]` cites). */
export interface Passage extends SearchHit {
  index: number;
}

export interface PassageSelection {
  topK: number;
  minScore: number;
  /**
   * The vector search always returns the nearest passages, however far: one no keyword matched counts only this
   * close in meaning (cosine) or closer, so a question about something the documents never mention finds nothing.
   */
  minSimilarity?: number;
}

/** Whether a hit is evidence at all: a keyword matched, or its meaning is close enough to the question. */
function relevant(hit: SearchHit, selection: PassageSelection): boolean {
  if (hit.keywordMatch !== false) return true;
  return (hit.similarity ?? -1) >= (selection.minSimilarity ?? 0);
}

export function selectPassages(hits: readonly SearchHit[], selection: PassageSelection): Passage[] {
  const seen = new Set<string>();
  const chosen: SearchHit[] = [];
  const ranked = [...hits].sort((a, b) => b.score - a.score || a.chunkId.localeCompare(b.chunkId));
  for (const hit of ranked) {
    if (chosen.length >= selection.topK || hit.score < selection.minScore) break;
    if (!relevant(hit, selection)) continue;
    // The same chunk can come back twice (keyword and vector lists); the same text under two chunk ids of one
    // document (overlapping windows) adds nothing either.
    const textKey = `${hit.document.id}\n${hit.text.trim()}`;
    if (seen.has(hit.chunkId) || seen.has(textKey)) continue;
    seen.add(hit.chunkId);
    seen.add(textKey);
    chosen.push(hit);
  }
  return chosen.map((hit, i) => ({ ...hit, index: i + 1 }));
}
