// What a search over many honey jars costs in Chroma, where each jar has its own collection: the nearest 20
// vectors across 1, 10 and 100 collections of BENCH_PER_COLLECTION vectors each (default 1,000; the queries to
// the collections go out at once, as search sends them), against one collection holding all the same vectors,
// queried once. For each: p50/p99 wall time of a search, and the CPU time it costs Chroma's process and this
// one. Chroma's cost per query hardly depends on a collection's size, so a search's cost grows with the number of
// jars it searches, not the number of vectors.
// Run: node tests/bench/chroma-fanout.bench.ts   (BENCH_SEARCHES: searches per row, default 60)
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  chromaQueryVector,
  createChromaClient,
  createChromaNearest,
  type ChromaNearest,
  type ChromaQueryVector,
} from '@sting/kit';
import { startChroma } from '@sting/ops/services/chroma.ts';
import { freePort } from '@sting/ops/services/readiness.ts';
import { fixed, percentile, seededRandom, table, untilQuiet } from './measure.ts';

/** A collection as a query names it. */
type Collection = Parameters<ChromaNearest>[0];

const PER_COLLECTION = Number(process.env.BENCH_PER_COLLECTION ?? 1000);
const SEARCHES = Number(process.env.BENCH_SEARCHES ?? 60);
const COLLECTIONS = 100;
const DIMENSION = 512; // the default (hashing) embedder's
const NEAREST = 20;
const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);

// Seeded, so every run indexes the same vectors.
const random = seededRandom(7);
function unitVector(): number[] {
  const v = Array.from({ length: DIMENSION }, () => random() - 0.5);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/** CPU time (user + system, ms) of a process so far, from /proc (Linux). */
function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

const scratch = resolve('.data', 'bench-runs', `${process.pid}-chroma-fanout`);
const chroma = await startChroma({
  port: await freePort(),
  dataDir: join(scratch, 'chroma'),
  logDir: join(scratch, 'logs'),
  cacheDir: resolve('.cache'),
  log: say,
});
try {
  if (chroma.pid === undefined) throw new Error('the benchmark needs its own Chroma (CHROMA_URL unset)');
  const chromaPid = chroma.pid;
  const client = createChromaClient(chroma.url);
  const nearest = createChromaNearest(chroma.url);
  const create = (name: string) =>
    client.createCollection({ name, configuration: { hnsw: { space: 'cosine' } }, embeddingFunction: null });
  const jars: Collection[] = [];
  const all = await create('fanout-all');
  for (let c = 0; c < COLLECTIONS; c++) {
    const jar = await create(`fanout-jar-${c}`);
    const ids = Array.from({ length: PER_COLLECTION }, (_, i) => `${c}-${i}`);
    const embeddings = Array.from({ length: PER_COLLECTION }, unitVector);
    await jar.add({ ids, embeddings });
    await all.add({ ids, embeddings });
    jars.push(jar);
  }
  say(
    `${COLLECTIONS} collections of ${PER_COLLECTION} vectors, and one of all ${COLLECTIONS * PER_COLLECTION}`,
  );
  const quiet = await untilQuiet();
  say(`machine quiet after ${fixed(quiet.seconds)} s (CPUs ${fixed(100 * quiet.busy)}% busy)`);
  const queries: ChromaQueryVector[] = Array.from({ length: SEARCHES }, () =>
    chromaQueryVector(unitVector()),
  );

  /** One search: the nearest NEAREST across these collections, every collection asked at once. */
  async function search(collections: readonly Collection[], query: ChromaQueryVector): Promise<void> {
    const found = await Promise.all(collections.map((c) => nearest(c, query, NEAREST)));
    const merged = found.flatMap((hits) => hits.distances).sort((a, b) => a - b);
    if (merged.length < Math.min(NEAREST, collections.length * PER_COLLECTION))
      throw new Error('too few hits');
  }

  const layouts = [
    { name: `1 collection of all ${(COLLECTIONS * PER_COLLECTION) / 1000}k (baseline)`, collections: [all] },
    { name: '1 jar collection', collections: jars.slice(0, 1) },
    { name: '10 jar collections', collections: jars.slice(0, 10) },
    { name: `${COLLECTIONS} jar collections`, collections: jars },
  ];
  // Warm-up.
  for (const layout of layouts) for (const q of queries.slice(0, 10)) await search(layout.collections, q);
  const measured = layouts.map(() => ({ wall: [] as number[], chroma: 0, node: 0 }));
  // Search by search, the layouts taking turns, so what the machine does meanwhile is shared by all.
  for (let i = 0; i < SEARCHES; i++) {
    for (let j = 0; j < layouts.length; j++) {
      const k = (i + j) % layouts.length;
      const chromaBefore = processCpuMs(chromaPid);
      const nodeBefore = process.cpuUsage();
      const began = performance.now();
      await search(layouts[k].collections, queries[i]);
      measured[k].wall.push(performance.now() - began);
      const node = process.cpuUsage(nodeBefore);
      measured[k].node += (node.user + node.system) / 1000;
      measured[k].chroma += processCpuMs(chromaPid) - chromaBefore;
    }
  }
  const baseline = measured[0];
  const baselineP50 = percentile(
    [...baseline.wall].sort((a, b) => a - b),
    50,
  );
  const rows = layouts.map((layout, k) => {
    const wall = [...measured[k].wall].sort((a, b) => a - b);
    const chromaMs = measured[k].chroma / SEARCHES;
    return [
      layout.name,
      fixed(percentile(wall, 50)),
      fixed(percentile(wall, 99)),
      fixed(chromaMs),
      fixed(chromaMs / layout.collections.length, 2),
      fixed(measured[k].node / SEARCHES),
      fixed(percentile(wall, 50) / baselineP50),
    ];
  });
  process.stdout.write(
    `\nNearest ${NEAREST} vectors of ${DIMENSION} dimensions, ${SEARCHES} searches per row (ms; Chroma's CPU is ` +
      `read from /proc in 10 ms ticks, so per-search figures are averages)\n` +
      table(
        [
          'searched',
          'p50',
          'p99',
          'Chroma CPU / search',
          'Chroma CPU / collection',
          'this process CPU / search',
          'p50 / baseline p50',
        ],
        rows,
      ) +
      '\n',
  );
} finally {
  await chroma.stop();
  await rm(scratch, { recursive: true, force: true });
}
