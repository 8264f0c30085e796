// A deterministic (seeded) benchmark corpus: documents in all nine formats with planted facts, a paraphrased
// question for each fact naming the document that answers it, and distractors that share the facts' wording.
// Used by the ingestion benchmark (throughput), SEARCH (retrieval quality) and BEE (answer quality).
import { entityName, FACT_TEMPLATES, fillerSentence, type Picker } from './facts.ts';
import { EXTENSION, writeDocument, type CorpusFileType, type DocumentSpec } from './writers.ts';

export type { CorpusFileType, DocumentSpec } from './writers.ts';
export { writeDocument } from './writers.ts';

export const CORPUS_FORMATS: readonly CorpusFileType[] = [
  'pdf',
  'docx',
  'html',
  'markdown',
  'text',
  'json',
  'csv',
  'xlsx',
  'pptx',
];

export interface CorpusDocument {
  /** Unique in the corpus, e.g. "doc-03-zorvelix.pdf"; its extension matches the format. */
  filename: string;
  fileType: CorpusFileType;
  title: string;
  bytes: Uint8Array;
  /** What was written, for readers that want the text without extracting it. */
  spec: DocumentSpec;
}

/**
 * How a question is typed: `paraphrase` as written (the entity's name capitalised); `lowercase` the same in
 * lower case, as people type into a search box; `misspelled` also lower case, with one typing slip in the
 * entity's name (a letter dropped, doubled or swapped with the next).
 */
export type QuestionKind = 'paraphrase' | 'lowercase' | 'misspelled';

export interface CorpusQuestion {
  /** A paraphrase of the fact: shares the entity's name but few other words with it. */
  question: string;
  kind: QuestionKind;
  /** The value the fact states (e.g. "45", "Lisbon"): a correct answer contains it. */
  answer: string;
  /** The sentence planted in the document. */
  fact: string;
  /** filename of the one document that states the fact. */
  expectedDocument: string;
  fileType: CorpusFileType;
}

export interface Corpus {
  seed: number;
  documents: CorpusDocument[];
  questions: CorpusQuestion[];
}

export interface CorpusOptions {
  seed?: number;
  /** Default 2 (18 documents). */
  documentsPerFormat?: number;
  /** Facts planted per document; default 3. */
  factsPerDocument?: number;
  /** Distractors per fact, each in another document; default 2. */
  distractorsPerFact?: number;
  /** Filler paragraphs per section (size of the corpus); default 3. */
  fillerParagraphs?: number;
  formats?: readonly CorpusFileType[];
  /** Also ask each question in lower case, and in lower case with a misspelled name; default false. */
  typedVariants?: boolean;
}

/** mulberry32: small, fast and the same everywhere. */
function picker(seed: number): Picker & { next(): number } {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    one: (items) => items[Math.floor(next() * items.length)],
  };
}

interface Draft {
  fileType: CorpusFileType;
  filename: string;
  title: string;
  sections: { heading: string; sentences: string[][] }[];
}

const HEADINGS = [
  'Overview',
  'Operations',
  'Policies',
  'Finance',
  'Infrastructure',
  'People',
  'Schedule',
  'Appendix',
];

export async function generateCorpus(options: CorpusOptions = {}): Promise<Corpus> {
  const seed = options.seed ?? 42;
  const pick = picker(seed);
  const formats = options.formats ?? CORPUS_FORMATS;
  const perFormat = options.documentsPerFormat ?? 2;
  const factsPerDocument = options.factsPerDocument ?? 3;
  const distractorsPerFact = options.distractorsPerFact ?? 2;
  const filler = options.fillerParagraphs ?? 3;

  const used = new Set<string>();
  const freshEntity = (): string => {
    for (;;) {
      const name = entityName(pick);
      if (!used.has(name)) return (used.add(name), name);
    }
  };

  const drafts: Draft[] = [];
  for (let n = 0; n < perFormat; n++) {
    for (const fileType of formats) {
      const index = drafts.length;
      const headings = [...HEADINGS].sort(() => pick.next() - 0.5).slice(0, 3);
      const title = `${pick.one(['Handbook', 'Report', 'Minutes', 'Guide', 'Notes'])} ${index + 1}`;
      drafts.push({
        fileType,
        title,
        filename: `doc-${String(index + 1).padStart(3, '0')}-${title.split(' ')[0].toLowerCase()}.${EXTENSION[fileType]}`,
        sections: headings.map((heading) => ({
          heading,
          sentences: Array.from({ length: filler }, () =>
            Array.from({ length: pick.int(3, 5) }, () => fillerSentence(pick)),
          ),
        })),
      });
    }
  }

  /** Puts a sentence inside a random paragraph of a random section of the draft. */
  const plant = (draft: Draft, sentence: string): void => {
    const section = pick.one(draft.sections);
    if (section.sentences.length === 0) section.sentences.push([]);
    const paragraph = pick.one(section.sentences);
    paragraph.splice(pick.int(0, paragraph.length), 0, sentence);
  };

  const questions: CorpusQuestion[] = [];
  for (const draft of drafts) {
    for (let f = 0; f < factsPerDocument; f++) {
      // Steps of 5 through 12 templates: every template in turn, never the same one twice in a document.
      const template = FACT_TEMPLATES[(questions.length * 5) % FACT_TEMPLATES.length];
      const entity = freshEntity();
      const answer = template.value(pick);
      const fact = template.fact(entity, answer);
      plant(draft, fact);
      questions.push({
        question: template.question(entity),
        kind: 'paraphrase',
        answer,
        fact,
        expectedDocument: draft.filename,
        fileType: draft.fileType,
      });
      for (let d = 0; d < distractorsPerFact && drafts.length > 1; d++) {
        let other = pick.one(drafts);
        while (other === draft) other = pick.one(drafts);
        // Even distractors repeat the fact's wording about another entity; odd ones state another attribute of
        // the same entity: each shares words with the fact or the question, and answers neither.
        if (d % 2 === 0) plant(other, template.fact(freshEntity(), template.value(pick)));
        else {
          const another =
            FACT_TEMPLATES[(FACT_TEMPLATES.indexOf(template) + 1 + pick.int(0, 9)) % FACT_TEMPLATES.length];
          plant(other, another.fact(entity, another.value(pick)));
        }
      }
    }
  }

  if (options.typedVariants) {
    // A picker of its own, so the documents and paraphrases stay the same with or without the variants.
    const slips = picker(seed + 1);
    for (const q of [...questions]) {
      const entity = entityIn(q.fact, q.question);
      const lower = q.question.toLowerCase();
      questions.push({ ...q, kind: 'lowercase', question: lower });
      let typo: string;
      do typo = misspell(entity.toLowerCase(), slips);
      while (used.has(typo[0].toUpperCase() + typo.slice(1)));
      questions.push({ ...q, kind: 'misspelled', question: lower.replace(entity.toLowerCase(), typo) });
    }
  }

  const documents: CorpusDocument[] = [];
  for (const draft of drafts) {
    const spec: DocumentSpec = {
      title: draft.title,
      sections: draft.sections.map((s) => ({
        heading: s.heading,
        paragraphs: s.sentences.map((p) => p.join(' ')),
      })),
    };
    documents.push({
      filename: draft.filename,
      fileType: draft.fileType,
      title: draft.title,
      bytes: await writeDocument(draft.fileType, spec),
      spec,
    });
  }
  return { seed, documents, questions };
}

/** The made-up name a fact and its question share (the one capitalised word of the question found in the fact). */
function entityIn(fact: string, question: string): string {
  const name = question.match(/\b[A-Z][a-z]{3,}\b/g)?.find((word) => fact.includes(word));
  if (!name) throw new Error(`no entity shared by "${question}" and "${fact}"`);
  return name;
}

/** One typing slip: a letter dropped, doubled, or swapped with the next (never the first letter). */
function misspell(word: string, pick: Picker): string {
  const at = pick.int(1, word.length - 2);
  switch (pick.int(0, 2)) {
    case 0:
      return word.slice(0, at) + word.slice(at + 1);
    case 1:
      return word.slice(0, at) + word[at] + word.slice(at);
    default:
      return word[at] === word[at + 1]
        ? word.slice(0, at) + word.slice(at + 1)
        : word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
  }
}
