// Search latency at 10k and 100k chunks, all in one honey jar and spread over 100 jars: p50/p99 of hybrid search
// (and of its keyword and vector halves) through the real code against PostgreSQL and Chroma, beside a brute-force
// scan of the same chunks (every readable row's tsvector computed on the fly, and exact cosine over every vector
// in memory). Goal: hybrid p99 under 50 ms at 100k chunks with the default (hashing) embedder.
// Run: node tests/bench/search-latency.bench.ts   (BENCH_SCALE=0.1 for a quick run at a tenth of the sizes)
import { randomUUID } from 'node:crypto';
import type { Viewer } from '@sting/kit';
import { reciprocalRankFusion } from '@sting/knowledge/domain/search/fusion.ts';
import { orQuery } from '@sting/knowledge/domain/search/keyword.ts';
import { fixed, percentile, table } from './measure.ts';
import { startSearchBench, type SearchBench } from './search-stack.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const SIZES = [10_000, 100_000].map((n) => Math.round(n * SCALE));
const QUERIES = 200;
const BASELINE_QUERIES = 20;
const CHUNKS_PER_DOCUMENT = 500;

// A seeded generator, so every run indexes the same text.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const random = rng(42);
const SYLLABLES = [
  'ba',
  'ke',
  'lo',
  'mi',
  'nu',
  'pa',
  'ri',
  'so',
  'ta',
  'vi',
  'za',
  'en',
  'or',
  'ul',
  'qua',
  'th',
];
const VOCABULARY = Array.from({ length: 6000 }, () => {
  const n = 2 + Math.floor(random() * 3);
  return Array.from({ length: n }, () => SYLLABLES[Math.floor(random() * SYLLABLES.length)]).join('');
});
// Zipf-like: a few words are everywhere, most are rare, as in real prose.
const word = () => VOCABULARY[Math.floor(VOCABULARY.length * random() ** 2.5)];
const passage = () => Array.from({ length: 45 + Math.floor(random() * 30) }, word).join(' ') + '.';

interface Corpus {
  viewer: Viewer;
  jarIds: string[];
  texts: string[];
  vectors: Float32Array[];
}

async function grow(bench: SearchBench, corpus: Corpus, target: number): Promise<number> {
  const began = performance.now();
  while (corpus.texts.length < target) {
    const honeyJarId =
      corpus.jarIds[Math.floor(corpus.texts.length / CHUNKS_PER_DOCUMENT) % corpus.jarIds.length];
    const texts = Array.from(
      { length: Math.min(CHUNKS_PER_DOCUMENT, target - corpus.texts.length) },
      passage,
    );
    const vectors = await bench.services.embedder.embed(texts);
    const chunks = texts.map((text, ordinal) => ({
      ordinal,
      text,
      headingPath: [],
      page: null,
      slide: null,
      sheet: null,
      charStart: 0,
      charEnd: text.length,
    }));
    const doc = {
      id: randomUUID(),
      honeyJarId,
      title: 'Bench document',
      fileType: 'text',
      createdAt: new Date(),
      version: 1,
    };
    await bench.services.chunkIndex.replaceDocumentChunks(doc, chunks, vectors);
    corpus.texts.push(...texts);
    corpus.vectors.push(...vectors);
  }
  await bench.orm.em.getConnection().execute('analyze "knowledge"."chunk"');
  return (performance.now() - began) / 1000;
}

/** Four to six words of a random indexed passage: each query has passages that answer it. */
function queries(corpus: Corpus, count: number): string[] {
  return Array.from({ length: count }, () => {
    const words = corpus.texts[Math.floor(random() * corpus.texts.length)].replace('.', '').split(' ');
    const start = Math.floor(random() * (words.length - 6));
    return words.slice(start, start + 4 + Math.floor(random() * 3)).join(' ');
  });
}

async function timed(qs: readonly string[], run: (q: string) => Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  for (const q of qs) {
    const began = performance.now();
    await run(q);
    latencies.push(performance.now() - began);
  }
  return latencies.sort((a, b) => a - b);
}

/** The baseline: no index at all, every readable chunk looked at for every query. */
async function bruteForce(bench: SearchBench, corpus: Corpus, query: string): Promise<string[]> {
  const schema = bench.orm.config.get('schema');
  const keyword = (
    await bench.orm.em.getConnection().execute<{ id: string }[]>(
      `select id from "${schema}"."chunk" c, to_tsquery('english', ?) q
     where c.honey_jar_id = any(?::uuid[])
       and to_tsvector('english', c.document_title || ' ' || c.heading_text || ' ' || c.text) @@ q
     order by ts_rank_cd(to_tsvector('english', c.document_title || ' ' || c.heading_text || ' ' || c.text), q) desc
     limit 50`,
      [orQuery(query), `{${corpus.jarIds.join(',')}}`],
    )
  ).map((r) => r.id);
  const [q] = await bench.services.embedder.embed([query]);
  const scores = new Float32Array(corpus.vectors.length);
  for (let i = 0; i < corpus.vectors.length; i++) {
    const v = corpus.vectors[i];
    let dot = 0;
    for (let d = 0; d < v.length; d++) dot += v[d] * q[d];
    scores[i] = dot;
  }
  const top = [...scores.keys()]
    .sort((a, b) => scores[b] - scores[a])
    .slice(0, 50)
    .map(String);
  return reciprocalRankFusion([keyword, top], { k: 60, weights: [1, 1] }).map((f) => f.id);
}

const HEADER = ['chunks', 'search', 'p50', 'p99', 'baseline p50 / p50'];
const bench = await startSearchBench();
const rows: string[][] = [];
try {
  const layouts = [
    { name: '1 jar', jars: 1 },
    { name: '100 jars', jars: 100 },
  ];
  for (const layout of layouts) {
    const viewer: Viewer = { kind: 'user', id: randomUUID(), role: 'MEMBER' };
    const corpus: Corpus = { viewer, jarIds: [], texts: [], vectors: [] };
    for (let i = 0; i < layout.jars; i++) {
      const id = randomUUID();
      corpus.jarIds.push(id);
      await bench.addJar(id, viewer.id);
    }
    for (const size of SIZES) {
      const seconds = await grow(bench, corpus, size);
      process.stderr.write(`[bench] ${layout.name}: ${size} chunks indexed (+${fixed(seconds)} s)\n`);
      const qs = queries(corpus, QUERIES);
      // Warm-up: collection handles, plans, caches.
      for (const q of qs.slice(0, 10)) await bench.find(viewer, { query: q });
      const hybrid = await timed(qs, (q) => bench.find(viewer, { query: q, first: 10 }));
      const keyword = await timed(qs, (q) => bench.find(viewer, { query: q, first: 10, mode: 'keyword' }));
      const vector = await timed(qs, (q) => bench.find(viewer, { query: q, first: 10, mode: 'vector' }));
      const baseline = await timed(qs.slice(0, BASELINE_QUERIES), (q) => bruteForce(bench, corpus, q));
      const row = (name: string, l: number[]) => [
        `${layout.name}, ${size / 1000}k`,
        name,
        fixed(percentile(l, 50)),
        fixed(percentile(l, 99)),
        fixed(percentile(baseline, 50) / percentile(l, 50)),
      ];
      const measured = [
        row('hybrid', hybrid),
        row('keyword', keyword),
        row('vector', vector),
        row('brute-force scan', baseline),
      ];
      rows.push(...measured);
      // Each size as soon as it is measured: the 100k rows take a while to build.
      process.stdout.write(`${table(HEADER, measured)}\n\n`);
    }
  }
  process.stdout.write(
    `\nSearch latency (one viewer, sequential; ${QUERIES} queries, baseline ${BASELINE_QUERIES}; ms)\n` +
      table(HEADER, rows) +
      '\n',
  );
} finally {
  await bench.stop();
}
