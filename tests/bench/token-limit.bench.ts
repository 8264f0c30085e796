// How fast the gateway refuses a megabyte of repeated fields (issue 7: it took 2.3 s and blocked /healthz for 2 s).
// In process: the pipeline's pre-parse check (lexer only, stops at gateway.limits.maxTokens) against what the old
// path did with the same text before refusing it (parse and validate the whole document). Through HTTP: the refusal
// by a running gateway and the /healthz latency measured while refusals are in flight.
import { buildSchema, parse, validate } from 'graphql';
import { documentLimitError } from '../../gateway/src/pipeline/document-limits.ts';
import { PROTECTION_DEFAULTS } from '../../gateway/src/protection.ts';
import { startToyPlatform } from '../../gateway/test/toy-platform.ts';
import { fixed, percentile, table } from './measure.ts';

const HUGE = `{ ${'ping '.repeat(200_000)}}`; // 1 MB
const limits = PROTECTION_DEFAULTS.limits;
const schema = buildSchema('type Query { ping: String }');

function time(run: () => unknown, rounds: number): number[] {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    run();
    samples.push(performance.now() - started);
  }
  return samples.sort((a, b) => a - b);
}

const refused = time(() => {
  if (!documentLimitError(HUGE, limits)) throw new Error('not refused');
}, 50);
const parsedAndValidated = time(() => validate(schema, parse(HUGE)), 3);

const platform = await startToyPlatform('embedded');
const base = platform.gateway.url.replace('/graphql', '');
const httpRefusals: number[] = [];
const health: number[] = [];
let running = true;
const probe = (async () => {
  while (running) {
    const started = performance.now();
    await fetch(`${base}/healthz`);
    health.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
})();
for (let i = 0; i < 20; i++) {
  const started = performance.now();
  const response = await fetch(platform.gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: HUGE }),
  });
  await response.text();
  if (response.status !== 400) throw new Error(`expected 400, got ${response.status}`);
  httpRefusals.push(performance.now() - started);
}
running = false;
await probe;
await platform.stop();
httpRefusals.sort((a, b) => a - b);
health.sort((a, b) => a - b);

console.log(`1 MB query of repeated fields (${HUGE.length} bytes), maxTokens ${limits.maxTokens}`);
console.log(
  table(
    ['what', 'p50 ms', 'p99 ms'],
    [
      ['pre-parse token check', fixed(percentile(refused, 50), 2), fixed(percentile(refused, 99), 2)],
      [
        'parse + validate (old)',
        fixed(percentile(parsedAndValidated, 50)),
        fixed(percentile(parsedAndValidated, 99)),
      ],
      ['HTTP refusal (400)', fixed(percentile(httpRefusals, 50)), fixed(percentile(httpRefusals, 99))],
      ['/healthz meanwhile', fixed(percentile(health, 50)), fixed(percentile(health, 99))],
    ],
  ),
);
console.log(
  `speed-up of the check over parse + validate: ${fixed(percentile(parsedAndValidated, 50) / percentile(refused, 50), 0)}x`,
);
