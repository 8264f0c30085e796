// Pollen Filter throughput on a deterministic 50 MB log stream beside a naive baseline (every
// pattern applied with String.replace in sequence), and timings on adversarial 1 MB inputs.
// Run: node tests/bench/pollen-filter.bench.ts [sizeMB]
import { generate } from '../../packages/pollen-filter/corpus/generate.ts';
import { createPollenFilter } from '../../packages/pollen-filter/src/index.ts';

const MB = 1024 * 1024;
const targetBytes = Number(process.argv[2] ?? 50) * MB;

/** The realistic stream: corpus lines (with a seeded variety of values) repeated up to the size. */
function stream(): string[] {
  const lines: string[] = [];
  let bytes = 0;
  for (let seed = 1; bytes < targetBytes; seed++) {
    for (const l of generate(seed)) {
      const text = l.text.replace(/\n/g, '\\n');
      lines.push(text);
      bytes += Buffer.byteLength(text) + 1;
      if (bytes >= targetBytes) break;
    }
  }
  return lines;
}

// What a first attempt usually looks like: one regex per type, applied one after another.
const NAIVE: [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '[PRIVATE_KEY]'],
  [/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[JWT]'],
  [/(?:AKIA|ASIA)[A-Z0-9]{16}/g, '[AWS_ACCESS_KEY]'],
  [/gh[pousr]_[A-Za-z0-9]{36,}|github_pat_\w+/g, '[GITHUB_TOKEN]'],
  [/xox[abposr]-[\w-]+/g, '[SLACK_TOKEN]'],
  [/(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]+/g, '[STRIPE_KEY]'],
  [/hvs\.[\w-]+|\bs\.[A-Za-z0-9]{24}\b/g, '[VAULT_TOKEN]'],
  [/(\w+:\/\/)[^\s:@/]*:[^\s@/]+@/g, '$1[URL_CREDENTIALS]@'],
  [/(Bearer\s+)[\w.~+/-]+=*/gi, '$1[BEARER_TOKEN]'],
  [
    /((?:password|passwd|pwd|secret|token|api_?key|authorization|cookie)["']?\s*[:=]\s*["']?)[^\s"'&,;]+/gi,
    '$1[SECRET]',
  ],
  [/[\w.+-]+@[\w-]+\.[\w.-]+/g, '[EMAIL]'],
  [/\b(?:\d[ -]?){13,19}\b/g, '[CARD]'],
  [/\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){3,7}\b/g, '[IBAN]'],
  [/\b\d{3}-\d{2}-\d{4}\b/g, '[SSN]'],
  [/\+?\d[\d ().-]{7,}\d/g, '[PHONE]'],
  [/\b(?:\d{1,3}\.){3}\d{1,3}\b/g, '[IPV4]'],
  [/\b(?:[0-9a-f]{1,4}:){2,7}[0-9a-f]{0,4}\b/gi, '[IPV6]'],
];

function naive(line: string): string {
  let out = line;
  for (const [re, replacement] of NAIVE) out = out.replace(re, replacement);
  return out;
}

function time(fn: () => void): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const lines = stream();
const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0);
const filter = createPollenFilter({
  knownSecrets: ['vault-issued-db-password-7Qx2', 'sting-session-signing-key-91aa'],
});

// Warm up both paths so the comparison is between optimised code.
for (let i = 0; i < 20000; i++) {
  filter.redactString(lines[i % lines.length]);
  naive(lines[i % lines.length]);
}
filter.resetStats();

let sink = 0;
const filterMs = time(() => {
  for (const l of lines) sink += filter.redactString(l).length;
});
const naiveMs = time(() => {
  for (const l of lines) sink += naive(l).length;
});
const filterMBs = bytes / MB / (filterMs / 1000);
const naiveMBs = bytes / MB / (naiveMs / 1000);

// Small structured records, the kit logger's case.
const records = lines
  .slice(0, 50000)
  .map((msg, i) => ({ level: 'info', time: Date.now(), service: 'chat', requestId: `r-${i}`, msg }));
const recordBytes = records.reduce((n, r) => n + Buffer.byteLength(JSON.stringify(r)), 0);
const recordMs = time(() => {
  for (const r of records) sink += Object.keys(filter.redactRecord(r)).length;
});

console.log(
  `stream: ${(bytes / MB).toFixed(1)} MB, ${lines.length} lines, avg ${(bytes / lines.length).toFixed(0)} B/line`,
);
console.log(`pollen-filter   ${filterMBs.toFixed(1).padStart(7)} MB/s  (${filterMs.toFixed(0)} ms)`);
console.log(`naive baseline  ${naiveMBs.toFixed(1).padStart(7)} MB/s  (${naiveMs.toFixed(0)} ms)`);
console.log(`ratio           ${(filterMBs / naiveMBs).toFixed(2)}x faster than the baseline`);
console.log(
  `redactRecord    ${(records.length / (recordMs / 1000) / 1000).toFixed(0)}k records/s, ${(recordBytes / MB / (recordMs / 1000)).toFixed(1)} MB/s (avg ${(recordBytes / records.length).toFixed(0)} B/record)`,
);
console.log(`redactions      ${JSON.stringify(filter.stats().counts)}`);

const adversarial: [string, string][] = [
  ["'a' x 1MB", 'a'.repeat(MB)],
  ["'@' x 1MB", '@'.repeat(MB)],
  ['digits x 1MB', '7'.repeat(MB)],
  ["'eyJ' x 1MB", 'eyJ'.repeat(MB / 3)],
  ["'a@' x 1MB", 'a@'.repeat(MB / 2)],
  ["'1 ' x 1MB", '1 '.repeat(MB / 2)],
  ["'1.' x 1MB", '1.'.repeat(MB / 2)],
  ["':' x 1MB", ':'.repeat(MB)],
  ["'a:' x 1MB", 'a:'.repeat(MB / 2)],
  ["'password=' x 1MB", 'password='.repeat(MB / 9)],
  ['key=value runs', 'token=abc&'.repeat(MB / 10)],
  ["'Bearer 1' x 1MB", 'Bearer 1'.repeat(MB / 8)],
  ["'://a:b' x 1MB", '://a:b'.repeat(MB / 6)],
  ["'-----BEGIN ' x 1MB", '-----BEGIN '.repeat(MB / 11)],
  ["'+1 ' x 1MB", '+1 '.repeat(MB / 3)],
  ["'%40' x 1MB", '%40'.repeat(MB / 3)],
  ["'a%40' x 1MB", 'a%40'.repeat(MB / 4)],
  ["'a%2540' x 1MB", 'a%2540'.repeat(MB / 6)],
  ["'a@b.c9' x 1MB", 'a@b.c9'.repeat(MB / 6)],
  ["'é@' x 1MB", 'é@'.repeat(MB / 2)],
  ["'1111.' x 1MB", '1111.'.repeat(MB / 5)],
  ["'1111 NBSP' x 1MB", '1111\u00a0'.repeat(MB / 5)],
  ["'a1' x 1MB", 'a1'.repeat(MB / 2)],
  ['letters, 13 digits', 'abcdefgh4111111111111'.repeat(MB / 21)],
  ["'ab1-2' x 1MB", 'ab1-2'.repeat(MB / 5)],
  ["'sting_' x 1MB", 'sting_'.repeat(MB / 6)],
  ["'api_key:' x 1MB", 'api_key:'.repeat(MB / 8)],
  [
    'random bytes 1MB',
    Buffer.from(Array.from({ length: MB }, (_, i) => (i * 2654435761) >>> 24)).toString('latin1'),
  ],
];
console.log('\nadversarial 1 MB inputs (pollen-filter):');
let worst = 0;
for (const [name, input] of adversarial) {
  const ms = time(() => {
    sink += filter.redactString(input).length;
  });
  worst = Math.max(worst, ms);
  console.log(`  ${name.padEnd(22)} ${ms.toFixed(1).padStart(8)} ms`);
}
console.log(`  worst                  ${worst.toFixed(1).padStart(8)} ms`);
if (sink === -1) console.log(sink);
