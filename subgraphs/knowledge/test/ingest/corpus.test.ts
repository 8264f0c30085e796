// The generated benchmark corpus through extraction and chunking: every planted fact comes out of its
// document, in whatever format, intact inside one chunk; and the corpus is the same for the same seed.
import { describe, it, expect, beforeAll } from '@jest/globals';
import { generateCorpus, type Corpus } from '../../../../tests/bench/corpus/index.ts';
import {
  chunkDocument,
  detectFileType,
  extractDocument,
  type DocumentChunk,
} from '../../src/ingest/index.ts';

let corpus: Corpus;
const chunksByDocument = new Map<string, DocumentChunk[]>();

beforeAll(async () => {
  corpus = await generateCorpus({ seed: 7, documentsPerFormat: 1, factsPerDocument: 2 });
  for (const document of corpus.documents) {
    const extracted = await extractDocument(document.bytes, document.fileType);
    chunksByDocument.set(document.filename, chunkDocument(extracted));
  }
}, 60_000);

describe('the benchmark corpus', () => {
  it('has one document per format, each detected as its format', () => {
    expect(corpus.documents.map((d) => d.fileType).sort()).toEqual([
      'csv',
      'docx',
      'html',
      'json',
      'markdown',
      'pdf',
      'pptx',
      'text',
      'xlsx',
    ]);
    for (const d of corpus.documents) {
      expect(detectFileType(d.bytes.subarray(0, 64 * 1024), d.filename)).toMatchObject({
        ok: true,
        fileType: d.fileType,
      });
    }
  });

  it('plants each fact whole in one chunk of its expected document', () => {
    expect(corpus.questions).toHaveLength(18);
    for (const q of corpus.questions) {
      const chunks = chunksByDocument.get(q.expectedDocument)!;
      expect(chunks.some((c) => c.text.replace(/\s+/g, ' ').includes(q.fact))).toBe(true);
      expect(q.fact).toContain(q.answer);
      expect(q.question).not.toContain(q.answer);
    }
  });

  it('states each fact in one document only, next to distractors sharing its wording', () => {
    const everything = corpus.documents.map((d) => ({ name: d.filename, text: JSON.stringify(d.spec) }));
    for (const q of corpus.questions) {
      expect(everything.filter((d) => d.text.includes(q.fact)).map((d) => d.name)).toEqual([
        q.expectedDocument,
      ]);
    }
  });

  it('is the same for the same seed, and different for another', async () => {
    const again = await generateCorpus({ seed: 7, documentsPerFormat: 1, factsPerDocument: 2 });
    expect(again.questions).toEqual(corpus.questions);
    expect(again.documents.map((d) => d.spec)).toEqual(corpus.documents.map((d) => d.spec));
    const other = await generateCorpus({ seed: 8, documentsPerFormat: 1, factsPerDocument: 2 });
    expect(other.questions).not.toEqual(corpus.questions);
  });
});
