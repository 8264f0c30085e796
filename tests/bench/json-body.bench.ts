// What reading a request body strictly costs (packages/kit/src/http/json-text.ts: UTF-8 that is not valid refused,
// nesting past 64 levels refused, checked without recursion) against what it replaced, JSON.parse of the bytes
// read leniently as UTF-8: per body, in process, for the gateway-overhead benchmark's query (a typical request)
// and for a 200 kB body of 2,000 small objects (the most objects the nesting check walks). Rounds alternate the
// two rows; the ratio is the figure.
// node tests/bench/json-body.bench.ts   (BENCH_ROUNDS)
import { parseJsonBytes } from '@sting/kit/http/json-text.ts';
import { benchRounds, fixed, pairedMicroseconds, table } from './measure.ts';

const BODIES: [name: string, body: Buffer][] = [
  [
    'a query with variables',
    Buffer.from(
      JSON.stringify({
        query: 'query ($first: Int) { honeyJars(first: $first) { nodes { name owner { displayName } } } }',
        variables: { first: 20 },
      }),
    ),
  ],
  [
    '2,000 objects',
    Buffer.from(
      JSON.stringify({
        query: 'mutation ($events: [AuditEventInput!]!) { appendAuditEvents(events: $events) }',
        variables: {
          events: Array.from({ length: 2000 }, (_, i) => ({
            action: 'document.uploaded',
            actor: `user:${i}`,
            outcome: 'success',
            details: { size: i, tags: ['a', 'b'] },
          })),
        },
      }),
    ),
  ],
];

const rounds = benchRounds(9);
const rows: string[][] = [];
for (const [name, body] of BODIES) {
  const strict = () => void parseJsonBytes(body);
  const lenient = () => void JSON.parse(body.toString('utf8'));
  const [s, l] = pairedMicroseconds(strict, lenient, rounds);
  rows.push([`${name} (${(body.length / 1024).toFixed(1)} kB)`, fixed(s, 2), fixed(l, 2), fixed(s / l, 3)]);
}
process.stdout.write(
  `reading a JSON body strictly against JSON.parse of it read leniently, median of ${rounds} rounds, µs per body\n` +
    table(['body', 'strict', 'lenient', 'ratio'], rows) +
    '\n',
);
