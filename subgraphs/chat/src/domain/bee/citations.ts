// Citations: the `[n]` markers of an answer turned into the passages they name, as they appear while streaming.
import type { Passage } from './retriever.ts';

/** A citation as stored with the answer and served as GraphQL `Citation`. */
export interface StoredCitation {
  index: number;
  document: { id: string; title: string };
  honeyJar: { id: string; name: string };
  chunkId: string;
  page: number | null;
  quote: string;
}

const QUOTE_MAX = 300;

export function citationOf(passage: Passage): StoredCitation {
  const text = passage.text.replace(/\s+/g, ' ').trim();
  return {
    index: passage.index,
    document: passage.document,
    honeyJar: passage.honeyJar,
    chunkId: passage.chunkId,
    page: passage.page,
    quote: text.length > QUOTE_MAX ? `${text.slice(0, QUOTE_MAX - 1)}…` : text,
  };
}

/**
 * Citations first named in `text` that are not in `seen` yet, in order of appearance; `seen` is updated. Numbers
 * that name no passage (a model inventing [9]) are ignored: a citation always points at a retrieved passage.
 */
export function newCitations(
  text: string,
  passages: readonly Passage[],
  seen: Set<number>,
): StoredCitation[] {
  const found: StoredCitation[] = [];
  for (const match of text.matchAll(/\[(\d{1,3})\]/g)) {
    const index = Number(match[1]);
    const passage = passages[index - 1];
    if (!passage || seen.has(index)) continue;
    seen.add(index);
    found.push(citationOf(passage));
  }
  return found;
}
