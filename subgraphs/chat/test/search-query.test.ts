// What Bee searches for: a question up to knowledge's limit whole, a longer one by its beginning, cut at a word.
import { describe, it, expect } from '@jest/globals';
import { searchQueryOf } from '../src/domain/bee/knowledge-retriever.ts';

describe('searchQueryOf', () => {
  it('keeps a question of up to 1,000 characters whole', () => {
    const question = 'How many hives? '.repeat(62).trimEnd();
    expect(question.length).toBeLessThanOrEqual(1000);
    expect(searchQueryOf(question)).toBe(question);
  });

  it('searches for the beginning of a longer one, never ending in part of a word', () => {
    const question = `${'a'.repeat(995)} honeycomb and more`;
    expect(searchQueryOf(question)).toBe('a'.repeat(995));
    const atBoundary = `${'b'.repeat(1000)} rest`;
    expect(searchQueryOf(atBoundary)).toBe('b'.repeat(1000));
    // One word longer than the limit: its beginning, since there is nothing else.
    expect(searchQueryOf('c'.repeat(1500))).toBe('c'.repeat(1000));
  });
});
