// Search latency at 10k and 100k chunks, all in one honey jar and spread over 100 jars: p50/p99 of hybrid search
// (each query's first asking, then again; also with one word misspelt, and of its keyword and vector halves)
// through the real code against PostgreSQL and Chroma, beside a brute-force scan of the same chunks (every
// readable row's tsvector computed on the fly, and exact cosine over every vector in memory). Goal: hybrid p99
// under 50 ms at 100k chunks with the default (hashing) embedder. Each layout runs on a platform of its own, so its
// rows count its chunks only; the 100 jars are then searched once more beside as many chunks of another viewer's jar.
// Then Chroma's HNSW search breadth (knowledge.search.efSearch) at each size in one collection: a query's p50/p99
// and its recall@10 against the exact nearest neighbours, for each ef_search in BENCH_EF (default 100,200,400).
// Search runs in this process, under the platform's V8 flags (NODE_FLAGS, as a subgraph process runs).
// Run: node tests/bench/search-latency.bench.ts   (BENCH_SCALE=0.1 for a quick run at a tenth of the sizes;
// BENCH_QUERIES per row, 1,000 by default)
import { randomUUID } from 'node:crypto';
import { createChromaClient, type Viewer } from '@sting/kit';
import { reciprocalRankFusion } from '@sting/knowledge/domain/search/fusion.ts';
import { orQuery } from '@sting/knowledge/domain/search/keyword.ts';
import { fixed, percentile, seededRandom, table, untilQuiet } from './measure.ts';
import { startSearchBench, type SearchBench } from './search-stack.ts';
import { runUnderPlatformFlags } from './bench-platform.ts';

runUnderPlatformFlags();

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const SIZES = [10_000, 100_000].map((n) => Math.round(n * SCALE));
// p99 of 1,000 is the 10th slowest: of 200, the 2nd, which moved by 20 ms between runs of the same code.
const QUERIES = Number(process.env.BENCH_QUERIES) || 1000;
/** The HNSW sweep's queries: each is checked against an exact scan of every vector. */
const SWEEP_QUERIES = 200;
const BASELINE_QUERIES = 20;
const CHUNKS_PER_DOCUMENT = 500;
const EF_SEARCH = (process.env.BENCH_EF ?? '100,200,400').split(',').map(Number);

// Seeded, so every run indexes the same text.
const random = seededRandom(42);
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
  /** The chunk id of each of `texts` (its vector's id in Chroma). */
  ids: string[];
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
    const ids = await bench.orm.em
      .getConnection()
      .execute<{ id: string }[]>(
        `select id from "${bench.orm.config.get('schema')}"."chunk" where document_id = ? order by ordinal`,
        [doc.id],
      );
    corpus.ids.push(...ids.map((row) => row.id));
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

/**
 * The query with its longest word misspelt (two letters swapped and a q added: two edits), so no chunk holds it
 * and a word of more than five letters takes the slowest path of slip correction (trigram candidates).
 */
function misspelt(query: string): string {
  const words = query.split(' ');
  const longest = words.reduce((best, w, i) => (w.length > words[best].length ? i : best), 0);
  const w = words[longest];
  words[longest] = w.length < 4 ? w : w.slice(0, 1) + w[2] + w[1] + w.slice(3) + 'q';
  return words.join(' ');
}

/**
 * Runs `batch` until its median stops falling (within 10% of the batch before, or 120 s): seconds waited.
 */
async function settle(batch: () => Promise<number[]>): Promise<number> {
  const began = performance.now();
  let before = percentile(await batch(), 50);
  while (performance.now() - began < 120_000) {
    const now = percentile(await batch(), 50);
    if (now >= before * 0.9) break;
    before = now;
  }
  return (performance.now() - began) / 1000;
}

/** Each query through every run, the runs' order rotating from query to query: each run's latencies, sorted. */
async function timedInTurn(
  qs: readonly string[],
  runs: readonly ((q: string) => Promise<unknown>)[],
): Promise<number[][]> {
  const latencies = runs.map((): number[] => []);
  for (let i = 0; i < qs.length; i++) {
    for (let j = 0; j < runs.length; j++) {
      const r = (i + j) % runs.length;
      const began = performance.now();
      await runs[r](qs[i]);
      latencies[r].push(performance.now() - began);
    }
  }
  return latencies.map((l) => l.sort((a, b) => a - b));
}

async function timed(qs: readonly string[], run: (q: string) => Promise<unknown>): Promise<number[]> {
  return (await timedInTurn(qs, [run]))[0];
}

/** Indexes of the `k` vectors nearest to `q` by exact cosine (the vectors are unit length). */
function exactNearest(corpus: Corpus, q: Float32Array, k: number): number[] {
  const scores = new Float32Array(corpus.vectors.length);
  for (let i = 0; i < corpus.vectors.length; i++) {
    const v = corpus.vectors[i];
    let dot = 0;
    for (let d = 0; d < v.length; d++) dot += v[d] * q[d];
    scores[i] = dot;
  }
  return [...scores.keys()].sort((a, b) => scores[b] - scores[a]).slice(0, k);
}

/**
 * Chroma's nearest-neighbour query at each ef_search, over one collection holding every vector of the corpus
 * (built afresh per ef_search: Chroma takes a collection's ef_search when it loads its index): p50/p99, and the
 * share of the exact 10 nearest it returns.
 */
async function efSearchSweep(bench: SearchBench, corpus: Corpus, qs: readonly string[], label: string) {
  const chroma = createChromaClient(bench.chromaUrl);
  const queryVectors = await bench.services.embedder.embed(qs);
  const exact = queryVectors.map((q) => new Set(exactNearest(corpus, q, 10).map((i) => corpus.ids[i])));
  const rows: string[][] = [];
  for (const efSearch of EF_SEARCH) {
    const name = `bench-ef-${efSearch}-${randomUUID()}`;
    const collection = await chroma.createCollection({
      name,
      configuration: { hnsw: { space: 'cosine', ef_search: efSearch } },
      embeddingFunction: null,
    });
    for (let i = 0; i < corpus.ids.length; i += 1000) {
      await collection.add({
        ids: corpus.ids.slice(i, i + 1000),
        embeddings: corpus.vectors.slice(i, i + 1000).map((v) => Array.from(v)),
      });
    }
    const nearest = async (q: Float32Array) =>
      (await collection.query({ queryEmbeddings: [Array.from(q)], nResults: 10, include: [] as never }))
        .ids[0];
    for (const q of queryVectors.slice(0, 10)) await nearest(q); // warm-up
    let found = 0;
    const latencies: number[] = [];
    for (let i = 0; i < queryVectors.length; i++) {
      const began = performance.now();
      const ids = await nearest(queryVectors[i]);
      latencies.push(performance.now() - began);
      found += ids.filter((id) => exact[i].has(id)).length;
    }
    await chroma.deleteCollection({ name });
    latencies.sort((a, b) => a - b);
    rows.push([
      label,
      String(efSearch),
      fixed(percentile(latencies, 50)),
      fixed(percentile(latencies, 99)),
      fixed(found / (10 * queryVectors.length), 3),
    ]);
  }
  return rows;
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
  const top = exactNearest(corpus, q, 50).map(String);
  return reciprocalRankFusion([keyword, top], { k: 60, weights: [1, 1] }).map((f) => f.id);
}

const HEADER = ['chunks', 'search', 'p50', 'p99', 'baseline p50 / p50'];
const EF_HEADER = ['chunks', 'ef_search', 'Chroma query p50', 'p99', 'recall@10 vs exact'];

/** A viewer owning `jars` new jars, and nothing indexed yet. */
async function newCorpus(bench: SearchBench, jars: number): Promise<Corpus> {
  const viewer: Viewer = { kind: 'user', id: randomUUID(), role: 'MEMBER' };
  const corpus: Corpus = { viewer, jarIds: [], texts: [], vectors: [], ids: [] };
  for (let i = 0; i < jars; i++) {
    const id = randomUUID();
    corpus.jarIds.push(id);
    await bench.addJar(id, viewer.id);
  }
  return corpus;
}

/**
 * The rows of `corpus`'s viewer searching what it has indexed so far, once the servers are done with the writes
 * (PostgreSQL's checkpoint, taken now; Chroma persisting and compacting; the kernel writing dirty pages back).
 */
async function measure(bench: SearchBench, corpus: Corpus, label: string, qs: readonly string[]) {
  const { viewer } = corpus;
  await bench.orm.em.getConnection().execute('checkpoint');
  const quiet = await untilQuiet();
  process.stderr.write(
    `[bench] ${label}: machine quiet after ${fixed(quiet.seconds)} s (CPUs ${fixed(100 * quiet.busy)}% busy)\n`,
  );
  // Warm-up: collection handles, plans, caches; then Chroma's own work on what was just added (it compacts
  // each collection's new vectors into its index in the background, and queries meanwhile are several times
  // slower). The rows then take turns query by query, so what is left of it is shared by all.
  for (const q of qs.slice(0, 10)) await bench.find(viewer, { query: q });
  const settled = await settle(() =>
    timed(qs.slice(0, 20), (q) => bench.find(viewer, { query: q, mode: 'vector' })),
  );
  process.stderr.write(`[bench] ${label}: Chroma settled after ${fixed(settled)} s\n`);
  // Each query's first asking, on its own row: the first read of a query's words since they were indexed
  // costs several times a later one (PostgreSQL reads their index entries and rows into its buffers). The
  // rows after it measure the steady state, with each query's words read once already, so that no row pays
  // for another's first reads.
  const firstAsked = await timed(qs, (q) => bench.find(viewer, { query: q, first: 10 }));
  const [hybrid, slipped, keyword, vector] = await timedInTurn(qs, [
    (q) => bench.find(viewer, { query: q, first: 10 }),
    (q) => bench.find(viewer, { query: misspelt(q), first: 10 }),
    (q) => bench.find(viewer, { query: q, first: 10, mode: 'keyword' }),
    (q) => bench.find(viewer, { query: q, first: 10, mode: 'vector' }),
  ]);
  const baseline = await timed(qs.slice(0, BASELINE_QUERIES), (q) => bruteForce(bench, corpus, q));
  const row = (name: string, l: number[]) => [
    label,
    name,
    fixed(percentile(l, 50)),
    fixed(percentile(l, 99)),
    fixed(percentile(baseline, 50) / percentile(l, 50)),
  ];
  const measured = [
    row('hybrid, first asked', firstAsked),
    row('hybrid', hybrid),
    row('hybrid, a word misspelt', slipped),
    row('keyword', keyword),
    row('vector', vector),
    row('brute-force scan', baseline),
  ];
  // Each as soon as it is measured: the 100k rows take a while to build.
  process.stdout.write(`${table(HEADER, measured)}\n\n`);
  return measured;
}

const rows: string[][] = [];
const efRows: string[][] = [];
const layouts = [
  { name: '1 jar', jars: 1 },
  { name: '100 jars', jars: 100 },
];
// Each layout on a platform of its own (its own database and Chroma), holding that layout's chunks only: a row
// "100 jars, 100k" is 100k chunks in all, as the goal states. A last row then searches the 100 jars again beside
// as many chunks of a jar their viewer may not read (another team's), which both searches must leave out.
for (const layout of layouts) {
  const bench = await startSearchBench();
  try {
    const corpus = await newCorpus(bench, layout.jars);
    let qs: string[] = [];
    for (const size of SIZES) {
      const seconds = await grow(bench, corpus, size);
      process.stderr.write(`[bench] ${layout.name}: ${size} chunks indexed (+${fixed(seconds)} s)\n`);
      qs = queries(corpus, QUERIES);
      rows.push(...(await measure(bench, corpus, `${layout.name}, ${size / 1000}k`, qs)));
      // One jar's collection holds every chunk: where HNSW's breadth matters (spread over 100 jars, each
      // collection is small enough to be searched near exactly).
      if (layout.jars === 1) {
        const sweep = await efSearchSweep(
          bench,
          corpus,
          qs.slice(0, SWEEP_QUERIES),
          `${size / 1000}k in one collection`,
        );
        efRows.push(...sweep);
        process.stdout.write(`${table(EF_HEADER, sweep)}\n\n`);
      }
    }
    if (layout === layouts.at(-1)) {
      const size = SIZES.at(-1)!;
      const seconds = await grow(bench, await newCorpus(bench, 1), size);
      process.stderr.write(`[bench] another viewer's jar: ${size} chunks indexed (+${fixed(seconds)} s)\n`);
      const label = `${layout.name}, ${size / 1000}k + ${size / 1000}k unreadable`;
      rows.push(...(await measure(bench, corpus, label, qs)));
    }
  } finally {
    await bench.stop();
  }
}
process.stdout.write(
  `\nSearch latency (one viewer, sequential; ${QUERIES} queries, baseline ${BASELINE_QUERIES}; ms)\n` +
    table(HEADER, rows) +
    '\n\nChroma HNSW search breadth: one nearest-10 query (ms), and the share of the exact 10 nearest it finds\n' +
    table(EF_HEADER, efRows) +
    '\n',
);
