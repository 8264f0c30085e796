// The embedded default embedder: no model, just feature hashing. Word unigrams and bigrams (lightly stemmed,
// so "refunds"/"refunded"/"refund" meet) and character 3–5-grams (so spelling variants and compounds overlap)
// are hashed with a sign bit into a fixed-size vector, each group with sublinear term frequency and its own
// weight, then L2-normalised. Deterministic: the same text gives the same vector in every process.
import type { Embedder } from './types.ts';

export const HASHING_MODEL = 'hashing-v1';
export const DEFAULT_HASHING_DIMENSION = 512;

// Group weights, chosen on the generated retrieval corpus (tests/bench/corpus; vector-only recall@5 0.35 with
// equal-ish weights and no name boost, 0.85 with these): words carry the meaning, bigrams the phrasing,
// character n-grams the morphology that stemming misses.
const WORD_WEIGHT = 1.0;
const BIGRAM_WEIGHT = 0.3;
const CHAR_WEIGHT = 0.3;
// A name or number counts as this many ordinary words: without corpus statistics (no IDF in a stateless
// embedder) capitalisation mid-sentence and digits are the best sign of a rare, identifying word.
const NAME_BOOST = 4;
// Seeds keep the three groups' hashes apart.
const WORD_SEED = 0x811c9dc5;
const BIGRAM_SEED = 0x9e3779b1;
const CHAR_SEED = 0x85ebca6b;

const STOPWORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how i if in into is it its ' +
    'me my no not of on or our so than that the their them then there these they this those to was we were what ' +
    'when where which who whom why will with would you your'
  ).split(' '),
);

// Suffixes stripped longest first; a tiny Porter-like step, enough for plural/tense/adverb variants.
const SUFFIXES: readonly [suffix: string, replacement: string][] = [
  ['ational', 'ate'],
  ['ization', 'ize'],
  ['fulness', 'ful'],
  ['iveness', 'ive'],
  ['ements', ''],
  ['ement', ''],
  ['ments', ''],
  ['ment', ''],
  ['ness', ''],
  ['ings', ''],
  ['ing', ''],
  ['ies', 'y'],
  ['ied', 'y'],
  ['edly', ''],
  ['ers', ''],
  ['er', ''],
  ['ed', ''],
  ['ly', ''],
  ['es', ''],
  ['s', ''],
];

export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  for (const [suffix, replacement] of SUFFIXES) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) {
      let base = word.slice(0, word.length - suffix.length) + replacement;
      // "stopped" → "stopp" → "stop"
      if (
        base.length > 3 &&
        base[base.length - 1] === base[base.length - 2] &&
        !/[lsz]/.test(base[base.length - 1])
      ) {
        base = base.slice(0, -1);
      }
      return base;
    }
  }
  return word;
}

export function words(text: string): string[] {
  return (
    text
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** FNV-1a over a string's UTF-16 units, from a seed; then an avalanche so nearby strings spread out. */
function hash(seed: number, text: string): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return avalanche(h);
}

function avalanche(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

function count(counts: Map<number, number>, key: number, weight = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + weight);
}

/** Adds one group's features, sublinear tf (1 + ln tf), scaled so the group's own norm equals `weight`. */
function addGroup(vector: Float32Array, counts: Map<number, number>, weight: number): void {
  if (counts.size === 0) return;
  let norm = 0;
  for (const tf of counts.values()) norm += (1 + Math.log(tf)) ** 2;
  const scale = weight / Math.sqrt(norm);
  const dimension = vector.length;
  for (const [key, tf] of counts) {
    const sign = key & 0x80000000 ? -1 : 1;
    vector[(key & 0x7fffffff) % dimension] += sign * (1 + Math.log(tf)) * scale;
  }
}

/**
 * Calls `visit` with each word of the text (a run of letters and digits) as written, in order, and whether it opens
 * a sentence: the text's first word, or one after `.`, `!`, `?` or `:` (spaces between). A capital there says
 * nothing of the word; anywhere else it marks a name.
 */
export function eachWord(text: string, visit: (word: string, opensSentence: boolean) => void): void {
  let sentenceStart = true;
  let last = 0;
  for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const token = match[0];
    const index = match.index;
    let before = index - 1;
    while (before >= last && (text[before] === ' ' || text[before] === '\n' || text[before] === '\t'))
      before--;
    if (before >= last && '.!?:'.includes(text[before])) sentenceStart = true;
    visit(token, sentenceStart);
    sentenceStart = false;
    last = index + token.length;
  }
}

/** Whether a word is written with a capital first. */
export function capitalised(word: string): boolean {
  const first = word[0];
  return first !== first.toLowerCase();
}

/** Names (capitalised, not opening a sentence), codes and numbers: the words that identify what a text is about. */
export function namedTokens(text: string): Set<string> {
  const named = new Set<string>();
  eachWord(text, (token, opensSentence) => {
    if ((!opensSentence && capitalised(token)) || /\d/.test(token)) {
      for (const word of words(token)) if (!STOPWORDS.has(word)) named.add(word);
    }
  });
  return named;
}

/** `addGroup` for counts already bucketed: [2b] holds bucket b's positive-sign count, [2b + 1] its negative. */
function addCounts(vector: Float32Array, counts: Float32Array, weight: number): void {
  let norm = 0;
  for (const tf of counts) if (tf > 0) norm += (1 + Math.log(tf)) ** 2;
  if (norm === 0) return;
  const scale = weight / Math.sqrt(norm);
  for (let b = 0; b < vector.length; b++) {
    const positive = counts[2 * b];
    const negative = counts[2 * b + 1];
    if (positive > 0) vector[b] += (1 + Math.log(positive)) * scale;
    if (negative > 0) vector[b] -= (1 + Math.log(negative)) * scale;
  }
}

// Documents repeat their words: stems are remembered (bounded, cleared when full).
const stemMemo = new Map<string, string>();
function stemCached(word: string): string {
  let stemmed = stemMemo.get(word);
  if (stemmed === undefined) {
    if (stemMemo.size >= 50_000) stemMemo.clear();
    stemmed = stem(word);
    stemMemo.set(word, stemmed);
  }
  return stemmed;
}

export function hashingVector(text: string, dimension: number): Float32Array {
  const tokens = words(text);
  const named = namedTokens(text);
  const content = tokens.filter((w) => !STOPWORDS.has(w));
  const stems = content.map(stemCached);
  const unigrams = new Map<number, number>();
  const bigrams = new Map<number, number>();
  // Character n-grams are counted per (bucket, sign) straight into an array: there are thousands per chunk,
  // and a Map per n-gram cost more than all the rest of the embedding together.
  const chars = new Float32Array(2 * dimension);
  for (let i = 0; i < stems.length; i++) {
    count(unigrams, hash(WORD_SEED, stems[i]), named.has(content[i]) ? NAME_BOOST : 1);
    if (i > 0) count(bigrams, hash(BIGRAM_SEED, stems[i - 1] + ' ' + stems[i]));
  }
  for (const word of content) {
    // The 3-, 4- and 5-grams starting at each position of `<word>`, hashed incrementally (no substrings).
    const padded = `<${word}>`;
    for (let i = 0; i + 3 <= padded.length; i++) {
      let h = CHAR_SEED;
      for (let j = i; j < i + 5 && j < padded.length; j++) {
        h = Math.imul(h ^ padded.charCodeAt(j), 0x01000193);
        if (j - i >= 2) {
          const key = avalanche(h ^ (j - i));
          chars[((key & 0x7fffffff) % dimension) * 2 + (key >>> 31)]++;
        }
      }
    }
  }
  const vector = new Float32Array(dimension);
  addGroup(vector, unigrams, WORD_WEIGHT);
  addGroup(vector, bigrams, BIGRAM_WEIGHT);
  addCounts(vector, chars, CHAR_WEIGHT);
  let norm = 0;
  for (const v of vector) norm += v * v;
  if (norm > 0) {
    const inverse = 1 / Math.sqrt(norm);
    for (let i = 0; i < dimension; i++) vector[i] *= inverse;
  }
  return vector;
}

export class HashingEmbedder implements Embedder {
  readonly provider = 'hashing';
  readonly model = HASHING_MODEL;
  readonly dimension: number;

  constructor(dimension = DEFAULT_HASHING_DIMENSION) {
    if (!Number.isInteger(dimension) || dimension < 16 || dimension > 65_536) {
      throw new RangeError(`hashing embeddings: dimension must be an integer in 16..65536, got ${dimension}`);
    }
    this.dimension = dimension;
  }

  async embed(texts: readonly string[], options: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const text of texts) {
      options.signal?.throwIfAborted();
      out.push(hashingVector(text, this.dimension));
    }
    return out;
  }
}
