// The embedded default: no model. It quotes the sentences of the retrieved passages that share the most
// (rarest) words with the question, each cited [n], and says that it quotes rather than generates. Same input,
// same answer; it streams word by word like a model so every client path is the same.
import type { ChatAttempt } from './limits.ts';
import type { ChatChunk, ChatPassage, ChatRequest } from './types.ts';

/** Its version names the cached answers it made (answer-cache.ts): a new version never serves an older one's. */
export const EXTRACTIVE_MODEL = 'extractive-v2';
export const EXTRACTIVE_PREAMBLE =
  'Quoted from your documents (extractive mode: nothing below is generated):';
export const EXTRACTIVE_NOTHING =
  'None of the passages found has a sentence that answers this, so I cannot answer it from your documents.';
const MAX_SENTENCES = 3;
/** Words yielded between two turns of the event loop, so a long answer never blocks other requests. */
const WORDS_PER_TURN = 8;

const STOPWORDS = new Set(
  (
    'a an and are as at be by can could did do does for from had has have how i in into is it its me my of on or ' +
    'our should so than that the their them then there these they this to was we were what when where which who ' +
    'whom why will with would you your about after before tell please say said also any all not no like'
  ).split(' '),
);

/** Lower-cased content words with a light suffix strip, so "hives" meets "hive" and "swarming" meets "swarm". */
export function terms(text: string): string[] {
  const words =
    text
      .toLowerCase()
      .normalize('NFKC')
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  return words
    .filter((w) => !STOPWORDS.has(w) && (w.length > 1 || /\d/.test(w)))
    .map((w) => (w.length > 4 ? w.replace(/(ing|ed|es|s)$/, '') : w));
}

interface Sentence {
  text: string;
  passage: ChatPassage;
  position: number;
  terms: Set<string>;
}

/** `key: value`, `a.b[0]: value` or `- item` lines: a record or list item of its own, never part of the next line. */
const RECORD_LINE = /^(?:[^\s:]{1,60}:\s|[-*\u2022]\s|\d{1,3}[.)]\s)/u;
/** A list item's bullet or number, which a quote of the item leaves out. */
const LIST_MARK = /^(?:[-*\u2022]|\d{1,3}[.)])\s+/u;
const TITLE_MAX_WORDS = 6;

/**
 * A heading, a title or a slide's caption on a line of its own: short, starting with a capital or a number, with
 * no closing punctuation and not ending on a word that leads on ("approved by"), and followed by a line that
 * starts a sentence. It says what the text under it is about, not what a question asks. A short line of a narrow
 * column that breaks a sentence mostly ends on such a word, or is followed by one in lower case.
 */
function isTitleLine(line: string, next: string | undefined): boolean {
  const words = line.split(' ');
  return (
    next !== undefined &&
    words.length <= TITLE_MAX_WORDS &&
    /^[\p{Lu}\p{N}]/u.test(line) &&
    /^[\p{Lu}\p{N}"'([]/u.test(next) &&
    !/[.!?:;,"'\u2019)\]]$/u.test(line) &&
    !STOPWORDS.has(words[words.length - 1].toLowerCase()) &&
    !RECORD_LINE.test(line)
  );
}

/**
 * The passage's sentences, in order. Line breaks are read as the extractors write them: a blank line ends a
 * paragraph; a record (`key: value`) or list item stands alone; a title line is left out (it names what follows and
 * answers nothing, and glued to the next sentence it would misquote it); any other break is a wrapped line.
 */
export function sentencesOf(passage: ChatPassage): string[] {
  const lines = passage.text.split(/\r?\n/).map((line) => line.replace(/\s+/g, ' ').trim());
  const units: string[] = [];
  let open: string[] = [];
  const close = () => {
    if (open.length > 0) units.push(open.join(' '));
    open = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') {
      close();
      continue;
    }
    const next = lines.slice(i + 1).find((l) => l !== '');
    if (RECORD_LINE.test(line)) {
      close();
      units.push(line.replace(LIST_MARK, ''));
    } else if (isTitleLine(line, next)) {
      close();
    } else {
      open.push(line);
      if (next !== undefined && RECORD_LINE.test(next)) close();
    }
  }
  close();
  return units
    .flatMap((unit) => unit.split(/(?<=[.!?])\s+(?=[\p{Lu}\p{N}"'([])/u))
    .map((s) => s.trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s));
}

/** What two quotes are compared by: their words, lower-cased, one space apart. */
function quoteKey(text: string): string {
  return ` ${(
    text
      .toLowerCase()
      .normalize('NFKC')
      .match(/[\p{L}\p{N}]+/gu) ?? []
  ).join(' ')} `;
}

/** Whether two quotes say the same: the same words, or one's words (four or more) within the other's. */
function repeats(a: string, b: string): boolean {
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  if (shorter === longer) return true;
  return shorter.trim().split(' ').length >= 4 && longer.includes(shorter);
}

/** A sentence chosen to quote, with every passage that says it (in the passages' order). */
export interface Quote {
  text: string;
  passages: number[];
}

/**
 * The best sentences for the question, best first; ties go to the better-ranked passage, then the earlier one.
 * A sentence that repeats one already chosen (the same words, or the same words within a longer record) adds its
 * passage to that quote instead of being quoted again.
 */
export function pickSentences(question: string, passages: readonly ChatPassage[]): Quote[] {
  const wanted = new Set(terms(question));
  if (wanted.size === 0) return [];
  const all: Sentence[] = passages.flatMap((passage) =>
    sentencesOf(passage).map((text, position) => ({ text, passage, position, terms: new Set(terms(text)) })),
  );
  const documentFrequency = new Map<string, number>();
  for (const s of all)
    for (const t of s.terms) if (wanted.has(t)) documentFrequency.set(t, (documentFrequency.get(t) ?? 0) + 1);
  const weight = (t: string) => Math.log(1 + all.length / (documentFrequency.get(t) ?? all.length));
  const scored = all
    .map((s) => {
      let score = 0;
      for (const t of wanted) if (s.terms.has(t)) score += weight(t);
      // Long sentences match more words by chance; a mild length penalty prefers the one that is about it.
      return { s, score: score / Math.sqrt(1 + s.terms.size / 12) };
    })
    .filter((x) => x.score > 0)
    .sort(
      (a, b) => b.score - a.score || a.s.passage.index - b.s.passage.index || a.s.position - b.s.position,
    );
  if (scored.length === 0) return [];
  const best = scored[0].score;
  const chosen: (Quote & { key: string })[] = [];
  for (const { s, score } of scored) {
    if (score < best * 0.5) break;
    const key = quoteKey(s.text);
    const same = chosen.find((q) => repeats(q.key, key));
    if (same) {
      if (!same.passages.includes(s.passage.index)) same.passages.push(s.passage.index);
      continue;
    }
    if (chosen.length < MAX_SENTENCES) chosen.push({ text: s.text, passages: [s.passage.index], key });
  }
  return chosen.map(({ text, passages }) => ({ text, passages: passages.sort((a, b) => a - b) }));
}

export function extractiveAnswer(question: string, passages: readonly ChatPassage[]): string {
  const chosen = pickSentences(question, passages);
  if (chosen.length === 0) return EXTRACTIVE_NOTHING;
  return [
    EXTRACTIVE_PREAMBLE,
    ...chosen.map((q) => `- "${q.text}" ${q.passages.map((index) => `[${index}]`).join('')}`),
  ].join('\n');
}

/** Each word with the whitespace before it, so the deltas concatenate back to the answer exactly. */
function words(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

export function extractiveAttempt(request: ChatRequest): ChatAttempt {
  return async function* (signal): AsyncGenerator<ChatChunk> {
    const answer = extractiveAnswer(request.question, request.passages);
    const pieces = words(answer);
    for (let i = 0; i < pieces.length; i++) {
      if (i % WORDS_PER_TURN === 0) {
        await new Promise((resolve) => setImmediate(resolve));
        signal.throwIfAborted();
      }
      yield { type: 'delta', text: pieces[i] };
    }
    const prompt = request.messages.reduce((sum, m) => sum + words(m.content).length, 0);
    yield { type: 'stop', reason: 'stop', tokensIn: prompt, tokensOut: pieces.length };
  };
}
