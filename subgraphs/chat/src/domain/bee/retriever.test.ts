// Which hits become Bee's passages: above the hybrid-score floor, one per chunk, at most topK, and only hits that
// are evidence at all (a keyword matched, or the meaning is close enough): the vector search always answers with
// the nearest passages, however unrelated.
import { describe, it, expect } from '@jest/globals';
import { selectPassages, type SearchHit } from './retriever.ts';

const hit = (id: string, overrides: Partial<SearchHit> = {}): SearchHit => ({
  chunkId: id,
  chunkVersion: 'v1',
  score: 0.03,
  text: `passage ${id}`,
  page: null,
  document: { id: `d-${id}`, title: 'Doc' },
  honeyJar: { id: 'j', name: 'Jar' },
  keywordMatch: true,
  similarity: 0.5,
  ...overrides,
});

const selection = { topK: 3, minScore: 0.01, minSimilarity: 0.15 };

describe('selectPassages', () => {
  it('keeps keyword matches and close meanings, drops far meanings no keyword matched', () => {
    const chosen = selectPassages(
      [
        hit('keyword-far', { keywordMatch: true, similarity: 0.01 }),
        hit('meaning-close', { keywordMatch: false, similarity: 0.4 }),
        hit('meaning-far', { keywordMatch: false, similarity: 0.05 }),
        hit('vector-missed', { keywordMatch: true, similarity: null }),
      ],
      selection,
    );
    expect(chosen.map((p) => p.chunkId).sort()).toEqual(['keyword-far', 'meaning-close', 'vector-missed']);
    expect(chosen.map((p) => p.index)).toEqual([1, 2, 3]);
  });

  it('finds nothing when every hit is only a far neighbour', () => {
    const far = [1, 2, 3].map((i) => hit(`n${i}`, { keywordMatch: false, similarity: 0.02 * i }));
    expect(selectPassages(far, selection)).toEqual([]);
  });

  it('keeps the score floor, one passage per chunk and topK', () => {
    const chosen = selectPassages(
      [
        hit('a', { score: 0.05 }),
        hit('a', { score: 0.04 }),
        hit('b'),
        hit('c'),
        hit('d'),
        hit('low', { score: 0.001 }),
      ],
      selection,
    );
    expect(chosen.map((p) => p.chunkId)).toEqual(['a', 'b', 'c']);
  });
});
