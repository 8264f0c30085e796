// Marks words inside a passage (whole words, case-insensitive, whole text kept), for search results: the words
// the server marked in a hit's highlights (what the keyword search matched: stemmed forms, and the word a typing
// slip was taken for). Text only: nothing from the passage is ever interpreted as markup.
import type { ReactNode } from 'react';

/** The words marked `**like this**` in a hit's highlights, lower case, each once. */
export function markedWords(highlights: readonly string[]): string[] {
  const words = new Set<string>();
  for (const fragment of highlights) {
    for (const [, marked] of fragment.matchAll(/\*\*([^*]+)\*\*/g)) {
      for (const word of marked.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) words.add(word);
    }
  }
  return [...words];
}

const escape = (term: string) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `text` with each whole word of `words` in a <mark> (or the element named: <strong> for emphasis). */
export function highlight(
  text: string,
  words: readonly string[],
  Tag: 'mark' | 'strong' = 'mark',
): ReactNode[] {
  const terms = [...new Set(words.map((w) => w.toLowerCase()))];
  if (terms.length === 0) return [text];
  // Longest first, so a word is marked whole rather than by a shorter word it starts with.
  terms.sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(${terms.map(escape).join('|')})(?![\\p{L}\\p{N}])`, 'giu');
  return text.split(pattern).map((part, i) => (i % 2 === 1 ? <Tag key={i}>{part}</Tag> : part));
}
