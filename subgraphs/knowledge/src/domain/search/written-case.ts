// How a chunk's text writes its words, kept beside it so that search knows a name without reading passages. A
// query typed all in lower case has the jars' names capitalised before it is embedded (keyword.ts,
// vectorQueryText), and a name is a word the jars write with a capital, within a sentence at least once, and
// (nearly) never in lower case. For each chunk ingestion stores the words its text writes with a capital and
// never in lower case (`capitalised_words`), and those of them written so within a sentence (`named_words`); the
// chunk table's triggers count, per jar and lexeme, the chunks whose text holds the lexeme (`written`), those
// writing it only with a capital (`capitalised`) and those naming it (`named`) in chunk_lexeme (migration
// written_case), beside the chunks holding it at all, so the query's analysis reads whether a word is a name in
// the same lookup as its rarity. Reading three passages a word with ts_headline took 3.4 ms of a hybrid search
// over 100 jars of 100k chunks, in three of four queries.
// Chunks stored before these columns existed have them null; fillWrittenCase reads their text once.
import type { EntityManager } from '@mikro-orm/postgresql';
import { capitalised, eachWord } from '@sting/llm';
import { textArray, uuidArray } from '@sting/kit';

/** The two columns' values for a chunk's text: words separated by spaces, each once, as first written. */
export interface WrittenCase {
  /** Words written with a capital (first letter) and never in lower case. */
  capitalisedWords: string;
  /** Those of them written with a capital within a sentence at least once (not only opening one). */
  namedWords: string;
}

/** How `text` writes its words (see the top of this file). */
export function writtenCase(text: string): WrittenCase {
  const upper = new Map<string, string>();
  const lower = new Set<string>();
  const named = new Set<string>();
  eachWord(text, (word, opensSentence) => {
    const key = word.toLowerCase();
    if (!capitalised(word)) {
      lower.add(key);
      return;
    }
    if (!upper.has(key)) upper.set(key, word);
    if (!opensSentence) named.add(key);
  });
  const capitalisedWords: string[] = [];
  const namedWords: string[] = [];
  for (const [key, word] of upper) {
    if (lower.has(key)) continue;
    capitalisedWords.push(word);
    if (named.has(key)) namedWords.push(word);
  }
  return { capitalisedWords: capitalisedWords.join(' '), namedWords: namedWords.join(' ') };
}

/** Chunks read at a time by fillWrittenCase. */
const FILL_BATCH = 500;

/**
 * Stores how their text writes its words for chunks stored without it, a batch at a time (each batch its own
 * transaction; rows another process is filling are skipped), until none is left; returns how many it filled.
 */
export async function fillWrittenCase(
  newEntityManager: () => EntityManager,
  batch = FILL_BATCH,
): Promise<number> {
  let filled = 0;
  for (;;) {
    const em = newEntityManager();
    const schema = em.config.get('schema');
    const done = await em.transactional(async (tx) => {
      const rows = await tx.getConnection().execute<{ id: string; text: string }[]>(
        `select id, text from "${schema}"."chunk" where capitalised_words is null
         limit ? for update skip locked`,
        [batch],
        'all',
        tx.getTransactionContext(),
      );
      if (rows.length === 0) return 0;
      const cased = rows.map((row) => writtenCase(row.text));
      await tx.getConnection().execute(
        `update "${schema}"."chunk" c set capitalised_words = v.capitalised, named_words = v.named
         from unnest(?::uuid[], ?::text[], ?::text[]) v(id, capitalised, named) where c.id = v.id`,
        [
          uuidArray(rows.map((row) => row.id)),
          textArray(cased.map((c) => c.capitalisedWords)),
          textArray(cased.map((c) => c.namedWords)),
        ],
        'run',
        tx.getTransactionContext(),
      );
      return rows.length;
    });
    filled += done;
    if (done < batch) return filled;
  }
}
