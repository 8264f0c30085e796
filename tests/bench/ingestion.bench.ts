// Ingestion throughput per format on the generated corpus (tests/bench/corpus): file MB/s and chunks/s for
// extraction (worker thread) → chunking → PII scan → embedding with the default (hashing) embedder, and each
// step's share of the time. Baseline in the same run: plain text through the same path, and a bare UTF-8
// decode of the same bytes on the main thread (what the worker hand-off and parsing cost on top).
// Run: node tests/bench/ingestion.bench.ts   (BENCH_DOCS per format, BENCH_FILLER paragraphs per section, BENCH_ROUNDS)
import { createEmbedder } from '@sting/llm';
import {
  chunkDocument,
  extractDocument,
  scanPii,
  DEFAULT_EXTRACTION_LIMITS,
} from '@sting/knowledge/ingest/index.ts';
import { CORPUS_FORMATS, generateCorpus, type CorpusDocument } from './corpus/index.ts';

const env = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};
const DOCS = env('BENCH_DOCS', 4);
const FILLER = env('BENCH_FILLER', 20);
const ROUNDS = env('BENCH_ROUNDS', 3);
const MB = 1024 * 1024;

interface Totals {
  files: number;
  bytes: number;
  chars: number;
  chunks: number;
  extract: number;
  chunk: number;
  pii: number;
  embed: number;
}

const embedder = await createEmbedder({
  provider: 'hashing',
  model: '',
  baseUrl: '',
  apiKey: null,
  dimension: 512,
  timeoutMs: 30_000,
});
const corpus = await generateCorpus({ seed: 1, documentsPerFormat: DOCS, fillerParagraphs: FILLER });

async function ingest(document: CorpusDocument, totals: Totals): Promise<void> {
  let t = performance.now();
  const extracted = await extractDocument(document.bytes, document.fileType, DEFAULT_EXTRACTION_LIMITS);
  totals.extract += performance.now() - t;
  t = performance.now();
  const chunks = chunkDocument(extracted);
  totals.chunk += performance.now() - t;
  t = performance.now();
  for (const section of extracted.sections) scanPii(section.text, { redact: false });
  totals.pii += performance.now() - t;
  t = performance.now();
  // What is embedded: the document title and heading path with the chunk, as the index stores it.
  await embedder.embed(chunks.map((c) => [document.title, ...c.headingPath, c.text].join('\n')));
  totals.embed += performance.now() - t;
  totals.files++;
  totals.bytes += document.bytes.length;
  totals.chars += extracted.sections.reduce((n, s) => n + s.text.length, 0);
  totals.chunks += chunks.length;
}

// Warm-up: the worker pool starts and each parser is loaded once before anything is timed.
for (const format of CORPUS_FORMATS)
  await ingest(
    corpus.documents.find((d) => d.fileType === format)!,
    emptyTotals(),
  );

function emptyTotals(): Totals {
  return { files: 0, bytes: 0, chars: 0, chunks: 0, extract: 0, chunk: 0, pii: 0, embed: 0 };
}

const results = new Map<string, Totals>();
for (const format of CORPUS_FORMATS) {
  const totals = emptyTotals();
  const documents = corpus.documents.filter((d) => d.fileType === format);
  for (let round = 0; round < ROUNDS; round++)
    for (const document of documents) await ingest(document, totals);
  results.set(format, totals);
}

// Baseline: the bytes of the text-format documents decoded on the main thread, nothing else.
const textDocs = corpus.documents.filter((d) => d.fileType === 'text');
let decodeMs = 0;
let decodeBytes = 0;
for (let round = 0; round < ROUNDS * 20; round++) {
  for (const d of textDocs) {
    const t = performance.now();
    new TextDecoder().decode(d.bytes);
    decodeMs += performance.now() - t;
    decodeBytes += d.bytes.length;
  }
}

const pct = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(0)}%`.padStart(6);
const num = (value: number, digits = 2): string => value.toFixed(digits).padStart(9);
const text = results.get('text')!;
const textMsPerMB = (text.extract + text.chunk + text.pii + text.embed) / (text.bytes / MB);

console.log(
  `ingestion: ${DOCS} documents per format × ${ROUNDS} rounds, ${FILLER} filler paragraphs per section, ` +
    `embedder ${embedder.model} (${embedder.dimension} dims), one document at a time`,
);
console.log(
  'format      files  avg KB  chunks     MB/s  chunks/s  extract  chunk    pii  embed  ms/MB vs text',
);
for (const [format, t] of results) {
  const total = t.extract + t.chunk + t.pii + t.embed;
  const msPerMB = total / (t.bytes / MB);
  console.log(
    `${format.padEnd(10)} ${String(t.files).padStart(6)} ${num(t.bytes / t.files / 1024, 1).slice(2)} ` +
      `${String(t.chunks).padStart(7)} ${num(t.bytes / MB / (total / 1000))} ${num(t.chunks / (total / 1000), 0)} ` +
      `${pct(t.extract, total)} ${pct(t.chunk, total)} ${pct(t.pii, total)} ${pct(t.embed, total)}  ` +
      `${num(msPerMB / textMsPerMB, 1)}x`,
  );
}
const all = [...results.values()].reduce((a, t) => {
  for (const key of Object.keys(a) as (keyof Totals)[]) a[key] += t[key];
  return a;
}, emptyTotals());
const allTotal = all.extract + all.chunk + all.pii + all.embed;
console.log(
  `all        ${String(all.files).padStart(6)}         ${String(all.chunks).padStart(7)} ${num(all.bytes / MB / (allTotal / 1000))} ` +
    `${num(all.chunks / (allTotal / 1000), 0)} ${pct(all.extract, allTotal)} ${pct(all.chunk, allTotal)} ` +
    `${pct(all.pii, allTotal)} ${pct(all.embed, allTotal)}`,
);
console.log(
  `baseline: UTF-8 decode of the text documents on the main thread ${num(decodeBytes / MB / (decodeMs / 1000), 0).trim()} MB/s; ` +
    `text through the whole path ${num(text.bytes / MB / ((text.extract + text.chunk + text.pii + text.embed) / 1000)).trim()} MB/s ` +
    `(extracted text ${(all.chars / MB).toFixed(1)} M chars in all)`,
);
process.exit(0);
