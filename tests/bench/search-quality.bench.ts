// Retrieval quality on the generated corpus (tests/bench/corpus): documents in all nine formats, each with planted
// facts, a paraphrased question per fact, and distractors that repeat a fact's wording about another entity or
// state another fact about the same one. Each document goes through the real ingestion steps (extract, chunk,
// embed each chunk's text with the default hashing embedder) into the real index; each question is searched
// keyword-only, vector-only and hybrid (at the configured weights: the vector list at 0.1 with the hashing embedder,
// knowledge's search settings; and with it at 1, a model's weight). A
// hit is relevant when it comes from the expected document and contains the fact's answer.
// Each question is asked three ways (corpus/index.ts's QuestionKind): as written, in lower case, and in lower
// case with a slip in the name; the table shows each way and all together.
// Goal: hybrid beats each alone, recall@5 >= 0.95.
// Run: node tests/bench/search-quality.bench.ts [documentsPerFormat]   (default 4: 36 documents, 3 × 108 questions)
import { randomUUID } from 'node:crypto';
import type { Viewer } from '@sting/kit';
import { chunkDocument, DEFAULT_EXTRACTION_LIMITS, extractDocument } from '@sting/knowledge/ingest/index.ts';
import type { SearchHitRow, SearchRequest } from '@sting/knowledge/domain/search/search.ts';
import { generateCorpus, type CorpusQuestion, type QuestionKind } from './corpus/index.ts';
import { fixed, table } from './measure.ts';
import { startSearchBench } from './search-stack.ts';

const perFormat = Number(process.argv[2] ?? 4);
const corpus = await generateCorpus({ documentsPerFormat: perFormat, typedVariants: true });
const KINDS: readonly QuestionKind[] = ['paraphrase', 'lowercase', 'misspelled'];
const bench = await startSearchBench();

const configured = bench.services.settings.vectorWeight;
const ROWS: { name: string; mode: NonNullable<SearchRequest['mode']>; vectorWeight: number }[] = [
  { name: 'keyword', mode: 'keyword', vectorWeight: configured },
  { name: 'vector', mode: 'vector', vectorWeight: configured },
  { name: `hybrid (vector weight ${configured})`, mode: 'hybrid', vectorWeight: configured },
  { name: 'hybrid (vector weight 1)', mode: 'hybrid', vectorWeight: 1 },
];

try {
  const viewer: Viewer = { kind: 'user', id: randomUUID(), role: 'MEMBER' };
  const honeyJarId = randomUUID();
  await bench.addJar(honeyJarId, viewer.id);
  const documentIds = new Map<string, string>();
  let chunkCount = 0;
  for (const doc of corpus.documents) {
    const extracted = await extractDocument(doc.bytes, doc.fileType, DEFAULT_EXTRACTION_LIMITS);
    const chunks = chunkDocument(extracted);
    const vectors = await bench.services.embedder.embed(chunks.map((c) => c.text));
    const id = randomUUID();
    documentIds.set(doc.filename, id);
    await bench.services.chunkIndex.replaceDocumentChunks(
      { id, honeyJarId, title: doc.title, fileType: doc.fileType, createdAt: new Date(), version: 1 },
      chunks,
      vectors,
    );
    chunkCount += chunks.length;
  }
  process.stderr.write(`[bench] ${corpus.documents.length} documents, ${chunkCount} chunks indexed\n`);

  // Extraction may rewrap lines (PDF) or spread a row over cells: compare with whitespace collapsed.
  const squash = (text: string) => text.replace(/\s+/g, ' ');
  const relevant = (q: CorpusQuestion) => (hit: SearchHitRow) =>
    hit.documentId === documentIds.get(q.expectedDocument) && squash(hit.text).includes(squash(q.answer));
  const results = [];
  for (const row of ROWS) {
    bench.services.settings.vectorWeight = row.vectorWeight;
    const score = new Map(KINDS.map((kind) => [kind, { n: 0, recall5: 0, mrr10: 0 }]));
    const misses: string[] = [];
    for (const q of corpus.questions) {
      const hits = await bench.find(viewer, { query: q.question, first: 10, mode: row.mode });
      const rank = hits.findIndex(relevant(q)) + 1;
      const kind = score.get(q.kind)!;
      kind.n += 1;
      if (rank >= 1 && rank <= 5) kind.recall5 += 1;
      else misses.push(`${q.fileType}: ${q.question} [${q.answer}] at ${rank || '-'}`);
      if (rank >= 1) kind.mrr10 += 1 / rank;
    }
    const all = [...score.values()].reduce((a, b) => ({
      n: a.n + b.n,
      recall5: a.recall5 + b.recall5,
      mrr10: a.mrr10 + b.mrr10,
    }));
    results.push({ row, kinds: KINDS.map((kind) => score.get(kind)!), all, misses });
  }
  bench.services.settings.vectorWeight = configured;
  const cells = (s: { n: number; recall5: number; mrr10: number }) => [
    fixed(s.recall5 / s.n, 3),
    fixed(s.mrr10 / s.n, 3),
  ];
  process.stdout.write(
    `\nRetrieval quality: ${corpus.questions.length} questions (${corpus.questions.length / KINDS.length} facts, ` +
      `each asked ${KINDS.join(' / ')}) over ${corpus.documents.length} documents (${chunkCount} chunks), ` +
      `hashing embedder; recall@5 and MRR@10\n` +
      table(
        ['search', ...KINDS.flatMap((kind) => [`${kind} R@5`, 'MRR']), 'all R@5', 'all MRR'],
        results.map((r) => [r.row.name, ...r.kinds.flatMap(cells), ...cells(r.all)]),
      ) +
      '\n',
  );
  // The goals, judged on all questions at the configured weights: hybrid at least as good as each list alone on
  // both figures and better on one, and recall@5 of at least 0.95.
  const [keyword, vector, hybrid] = results.map((r) => ({
    recall5: r.all.recall5 / r.all.n,
    mrr10: r.all.mrr10 / r.all.n,
  }));
  const beats = (a: typeof hybrid, b: typeof hybrid) =>
    a.recall5 >= b.recall5 && a.mrr10 >= b.mrr10 && (a.recall5 > b.recall5 || a.mrr10 > b.mrr10);
  const verdict = (met: boolean) => (met ? 'met' : 'not met');
  process.stdout.write(
    `goal: hybrid beats keyword alone ${verdict(beats(hybrid, keyword))}, beats vector alone ` +
      `${verdict(beats(hybrid, vector))}; hybrid recall@5 >= 0.95 ${verdict(hybrid.recall5 >= 0.95)} ` +
      `(${fixed(hybrid.recall5, 3)})\n`,
  );
  if (process.env.BENCH_VERBOSE) {
    for (const r of results)
      for (const miss of r.misses) process.stdout.write(`  ${r.row.name} miss: ${miss}\n`);
  }
} finally {
  await bench.stop();
}
