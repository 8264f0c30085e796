// Bee's streaming overhead: time to first token and tokens/s through the gateway (POST /api/bee/chat as server-sent
// events: pipeline, sendMessage, retrieval as the person, prompt, packets over the bus) against the same provider
// called directly with the same prompt, for the extractive default and for a stand-in streaming model server
// (OpenAI API). Then 100 conversations streaming at once: delivered tokens/s and the p99 gap between tokens,
// against the same 100 streams read from the model server directly. BENCH_ASKS sets the sequential asks per row.
import { startModelServer } from '../standins/model-server.ts';
import type { ChatConfig } from '@sting/llm/chat/index.ts';
import { fixed, percentile, table } from './measure.ts';
import { startBeeBench, type BeeBench, type StreamTiming } from './bee-platform.ts';

const ASKS = Number(process.env.BENCH_ASKS) || 30;
const CONCURRENT = Number(process.env.BENCH_CONVERSATIONS) || 100;
const QUESTION = 'How many frames of honey does the winter hive keep, and when is it inspected?';
const DOCUMENT = {
  name: 'winter.md',
  title: 'Winter hive',
  text: [
    '# Winter hive',
    '',
    'The winter hive keeps nine frames of honey and two frames of pollen.',
    'It is inspected on the first dry day of every month, never below ten degrees.',
    'The entrance reducer stays on from October to March so mice cannot get in.',
    'A hive that keeps fewer than six frames of honey is fed fondant in January.',
  ].join('\n'),
};
// The stand-in model: a first token after 20 ms, then 120 tokens 2 ms apart (about 500 tokens/s).
const SCRIPT = {
  delayFirstMs: 20,
  delayBetweenMs: 2,
  tokens: Array.from({ length: 120 }, (_, i) => ` token${i}`),
};

const limits = {
  firstTokenTimeoutMs: 30_000,
  totalTimeoutMs: 120_000,
  retries: 0,
  maxTokens: 1024,
  temperature: 0,
};
const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const tokensPerSecond = (t: StreamTiming) =>
  t.deltas.length > 1 ? ((t.deltas.length - 1) * 1000) / (t.deltas.at(-1)! - t.deltas[0]) : NaN;
const median = (values: number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );

interface Row {
  name: string;
  runs: StreamTiming[];
  /** Through the gateway: knowledge's search alone, measured in the same rounds. */
  search?: number[];
}

async function overhead(
  bench: BeeBench,
  label: string,
  provider: ChatConfig,
  before?: () => void,
): Promise<Row[]> {
  const conversations = await Promise.all(Array.from({ length: ASKS + 5 }, () => bench.newConversation()));
  // Warm-up: JIT, connection pools, the embedder.
  for (const id of conversations.slice(0, 5)) {
    before?.();
    await bench.ask(QUESTION, id);
    before?.();
    await bench.askDirect(QUESTION, provider);
  }
  const gateway: StreamTiming[] = [];
  const direct: StreamTiming[] = [];
  const search: number[] = [];
  // Interleaved, so drift hits both rows alike.
  for (const id of conversations.slice(5)) {
    before?.();
    gateway.push(await bench.ask(QUESTION, id));
    before?.();
    direct.push(await bench.askDirect(QUESTION, provider));
    search.push(await bench.timeSearch(QUESTION));
  }
  return [
    { name: `${label}, direct`, runs: direct },
    { name: `${label}, through the gateway`, runs: gateway, search },
  ];
}

function printOverhead(rows: Row[]) {
  const line = (row: Row) => {
    const first = row.runs.map((r) => r.firstToken).sort((a, b) => a - b);
    return [
      row.name,
      fixed(percentile(first, 50)),
      fixed(percentile(first, 99)),
      fixed(median(row.runs.map(tokensPerSecond)), 0),
      String(row.runs[0].deltas.length),
    ];
  };
  process.stdout.write(
    `\n${table(['provider', 'first token p50 ms', 'p99 ms', 'tokens/s', 'tokens'], rows.map(line))}\n`,
  );
  for (let i = 0; i < rows.length; i += 2) {
    const added =
      median(rows[i + 1].runs.map((r) => r.firstToken)) - median(rows[i].runs.map((r) => r.firstToken));
    const kept = median(rows[i + 1].runs.map(tokensPerSecond)) / median(rows[i].runs.map(tokensPerSecond));
    const search = median(rows[i + 1].search ?? []);
    process.stdout.write(
      `${rows[i].name.split(',')[0]}: +${fixed(added)} ms to the first token (goal < 30), of which knowledge's search ` +
        `alone takes ${fixed(search)} ms (p50 through the gateway); tokens/s ratio ${fixed(kept, 2)}\n`,
    );
  }
}

async function concurrent(count: number, run: () => Promise<StreamTiming>) {
  const began = performance.now();
  const runs = await Promise.all(Array.from({ length: count }, run));
  const seconds = (performance.now() - began) / 1000;
  const gaps = runs.flatMap((r) => r.deltas.slice(1).map((t, i) => t - r.deltas[i])).sort((a, b) => a - b);
  const tokens = runs.reduce((n, r) => n + r.deltas.length, 0);
  return {
    tokens,
    seconds,
    perSecond: tokens / seconds,
    p50Gap: percentile(gaps, 50),
    p99Gap: percentile(gaps, 99),
    firstP99: percentile(
      runs.map((r) => r.firstToken).sort((a, b) => a - b),
      99,
    ),
  };
}

const server = await startModelServer();
server.defaultScript = SCRIPT;
const standIn: ChatConfig = {
  provider: 'openai',
  baseUrl: `${server.url}/v1`,
  model: 'stand-in',
  apiKey: null,
  ...limits,
};
const extractive: ChatConfig = { provider: 'extractive', baseUrl: '', model: '', apiKey: null, ...limits };
const rows: Row[] = [];
try {
  say('extractive platform');
  let bench = await startBeeBench({ provider: 'extractive' });
  try {
    await bench.upload([DOCUMENT]);
    rows.push(...(await overhead(bench, 'extractive', extractive)));
  } finally {
    await bench.stop();
  }
  say('stand-in model server platform');
  bench = await startBeeBench({
    provider: 'openai',
    baseUrl: `${server.url}/v1`,
    model: 'stand-in',
    retries: 0,
  });
  try {
    await bench.upload([DOCUMENT]);
    rows.push(...(await overhead(bench, 'stand-in (OpenAI API)', standIn)));
    printOverhead(rows);

    say(`${CONCURRENT} conversations at once`);
    const ids = await Promise.all(Array.from({ length: CONCURRENT }, () => bench.newConversation()));
    let next = 0;
    const viaGateway = await concurrent(CONCURRENT, () => bench.ask(QUESTION, ids[next++]));
    const direct = await concurrent(CONCURRENT, () => bench.askDirect(QUESTION, standIn));
    process.stdout.write(
      `\n${table(
        [
          `${CONCURRENT} streams at once`,
          'tokens',
          'delivered tokens/s',
          'gap p50 ms',
          'gap p99 ms',
          'first token p99 ms',
        ],
        [
          [
            'stand-in, direct',
            String(direct.tokens),
            fixed(direct.perSecond, 0),
            fixed(direct.p50Gap, 2),
            fixed(direct.p99Gap, 2),
            fixed(direct.firstP99),
          ],
          [
            'through the gateway',
            String(viaGateway.tokens),
            fixed(viaGateway.perSecond, 0),
            fixed(viaGateway.p50Gap, 2),
            fixed(viaGateway.p99Gap, 2),
            fixed(viaGateway.firstP99),
          ],
        ],
      )}\n`,
    );
  } finally {
    await bench.stop();
  }
} finally {
  await server.stop();
}
