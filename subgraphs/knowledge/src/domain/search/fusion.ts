// Reciprocal rank fusion: each result list votes weight / (k + rank) for its items (rank from 1), so an item
// ranked well by both keyword and vector search beats one ranked first by only one of them. Scores of the two
// lists (ts_rank vs cosine distance) are not comparable; their ranks are.

export interface FusionSettings {
  k: number;
  weights: readonly number[];
}

export interface Fused {
  id: string;
  score: number;
  /** 1-based rank in each list, null where the list did not have it. */
  ranks: (number | null)[];
}

/** Fuses ranked id lists (best first); ties keep the order of first appearance, lists in the order given. */
export function reciprocalRankFusion(
  lists: readonly (readonly string[])[],
  { k, weights }: FusionSettings,
): Fused[] {
  const fused = new Map<string, Fused>();
  lists.forEach((list, l) => {
    const weight = weights[l] ?? 1;
    list.forEach((id, i) => {
      let entry = fused.get(id);
      if (!entry) {
        entry = { id, score: 0, ranks: lists.map(() => null) };
        fused.set(id, entry);
      }
      if (entry.ranks[l] !== null) return; // a list names an item once; a repeat does not vote twice
      entry.ranks[l] = i + 1;
      entry.score += weight / (k + i + 1);
    });
  });
  return [...fused.values()].sort((a, b) => b.score - a.score);
}
