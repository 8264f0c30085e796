// Marks the words of a query inside a passage (case-insensitive, whole text kept), for search results and
// citations. Text only: nothing from the passage is ever interpreted as markup.
import type { ReactNode } from 'react';

export function queryTerms(query: string): string[] {
  return [...new Set(query.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? [])];
}

const escape = (term: string) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function highlight(text: string, query: string): ReactNode[] {
  const terms = queryTerms(query);
  if (terms.length === 0) return [text];
  const pattern = new RegExp(`(${terms.map(escape).join('|')})`, 'giu');
  return text.split(pattern).map((part, i) => (i % 2 === 1 ? <mark key={i}>{part}</mark> : part));
}
