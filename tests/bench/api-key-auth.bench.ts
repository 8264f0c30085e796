// What authenticating with an API key costs per request against a session token, through the embedded gateway on
// a query that is almost all authentication (`{ me { id } }`): the cache-hit path (one credential, looked up once
// per cache entry) and the cold path (more credentials cycled than the session cache holds, so every request asks
// identity), as ratios in one run.
// node tests/bench/api-key-auth.bench.ts   (BENCH_SECONDS per row, BENCH_CONCURRENCY in flight)
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { RunningPlatform } from '@sting/gateway';
import { graphql, login, startBenchPlatform, startBenchStack } from './bench-platform.ts';
import { benchSeconds, closedLoop, fixed, merge, table, type LoadResult } from './measure.ts';

const QUERY = '{ me { id } }';
const seconds = benchSeconds(6);
const ROUNDS = 3;
const concurrency = Number(process.env.BENCH_CONCURRENCY) || 8;
// The gateway's session cache holds 1000 entries (least recently used go first): cycling through more than that
// makes every request a miss.
const COLD_CREDENTIALS = 1500;
// Never-used keys for the row that records each use; a key is not used twice there.
const FRESH_KEYS = 6000;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const newKey = () => `sting_${randomBytes(32).toString('base64url')}`;

/**
 * Sessions and keys for the cold rows, written straight into identity's tables as identity writes them (only the
 * hashes): signing in 1500 times would measure scrypt, not this. `fresh` keys have never been used: each request
 * with one also records its use (lastUsedAt and an api_key.used audit record), which every key pays once a minute.
 * The others count as used a moment from now, so the rows that reuse them measure the lookup alone, for keys and
 * sessions alike (each touches lastUsedAt at most once a minute).
 */
async function seedCold(databaseUrl: string, userId: string) {
  const tokens = Array.from({ length: COLD_CREDENTIALS }, () => randomBytes(32).toString('base64url'));
  const keys = Array.from({ length: COLD_CREDENTIALS }, newKey);
  const fresh = Array.from({ length: FRESH_KEYS }, newKey);
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const insertKeys = (values: string[], lastUsed: string) =>
    db.query(
      `insert into identity.api_key (id, user_id, name, prefix, key_hash, scopes, created_at, last_used_at)
       select unnest($1::uuid[]), $2, 'bench', left(unnest($3::text[]), 14), unnest($4::text[]), '{search}', now(),
              ${lastUsed}`,
      [values.map(() => randomUUID()), userId, values, values.map(sha256)],
    );
  try {
    await db.query(
      `insert into identity.session (id, token_hash, user_id, expires_at, created_at, last_used_at)
       select unnest($1::uuid[]), unnest($2::text[]), $3, now() + interval '1 day', now(),
              now() + interval '10 minutes'`,
      [tokens.map(() => randomUUID()), tokens.map(sha256), userId],
    );
    await insertKeys(keys, `now() + interval '10 minutes'`);
    await insertKeys(fresh, 'null');
  } finally {
    await db.end();
  }
  return { tokens, keys, fresh };
}

function cycling(credentials: readonly string[]) {
  let next = 0;
  return () => credentials[next++ % credentials.length];
}

function once(credentials: readonly string[]) {
  let next = 0;
  return () => {
    if (next >= credentials.length) throw new Error('out of fresh keys');
    return credentials[next++];
  };
}

function requestWith(url: string, credential: () => string) {
  return async () => {
    const result = await graphql(url, QUERY, undefined, credential());
    if (result.errors) throw new Error(result.errors[0].message);
    if (!result.data?.me?.id) throw new Error('no viewer');
  };
}

type Path = 'cached' | 'cold' | 'cold, use recorded';
type Row = { name: string; path: Path; request: () => Promise<void>; rounds: LoadResult[] };

const stack = await startBenchStack();
let platform: RunningPlatform | undefined;
try {
  platform = await startBenchPlatform(stack, 'embedded');
  const url = platform.url;
  const token = await login(url);
  const me = await graphql(url, QUERY, undefined, token);
  const created = await graphql(
    url,
    'mutation { createApiKey(input: { name: "bench", scopes: ["search"] }) { key } }',
    undefined,
    token,
  );
  if (created.errors) throw new Error(`createApiKey: ${created.errors[0].message}`);
  const key = created.data.createApiKey.key as string;
  const cold = await seedCold(stack.databaseUrl, me.data.me.id as string);

  const rows: Row[] = (
    [
      { name: 'session token, cached', path: 'cached', request: requestWith(url, () => token) },
      { name: 'API key, cached', path: 'cached', request: requestWith(url, () => key) },
      { name: 'session token, cold', path: 'cold', request: requestWith(url, cycling(cold.tokens)) },
      { name: 'API key, cold', path: 'cold', request: requestWith(url, cycling(cold.keys)) },
      {
        name: 'API key, cold, use recorded',
        path: 'cold, use recorded',
        request: requestWith(url, once(cold.fresh)),
      },
    ] as const
  ).map((row) => ({ ...row, rounds: [] }));
  // Warm-up: JIT, connection pools, the cached credentials in the cache.
  for (const row of rows)
    if (row.path !== 'cold, use recorded') await closedLoop(row.request, { concurrency, seconds: 1 });
  for (let round = 0; round < ROUNDS; round++)
    for (const row of rows) {
      const result = await closedLoop(row.request, { concurrency, seconds: seconds / ROUNDS });
      row.rounds.push(result);
      process.stderr.write(`[bench] ${row.name}: ${fixed(result.perSecond)} req/s\n`);
    }

  const results = rows.map((row) => ({ ...row, result: merge(row.rounds) }));
  // The use-recording row compares with the cold session row: a session's lookup is the same either way.
  const sessionOf = (path: Path) =>
    results.find((r) => r.path === (path === 'cached' ? 'cached' : 'cold') && r.name.startsWith('session'))!;
  process.stdout.write(
    `\nAPI key authentication against a session token: ${QUERY} through the embedded gateway\n` +
      `${concurrency} in flight; ${seconds}s per row in ${ROUNDS} interleaved rounds after a warm-up; ` +
      `cold = ${COLD_CREDENTIALS} credentials cycled past the 1000-entry session cache (every request asks ` +
      `identity); use recorded = each request a key's first in its minute (lastUsedAt and an audit record ` +
      `written); ${stack.redisUrl ? 'Redis' : 'in-process'} bus\n\n`,
  );
  const lines = results.map(({ name, path, result: r }) => {
    const session = sessionOf(path).result;
    return [
      name,
      String(r.requests),
      String(r.errors),
      fixed(r.perSecond),
      fixed(r.p50, 2),
      fixed(r.p99, 2),
      fixed(r.p50 / session.p50, 2),
      fixed(session.perSecond / r.perSecond, 2),
    ];
  });
  const header = ['credential, path', 'requests', 'errors', 'req/s', 'p50 ms', 'p99 ms', 'p50 ÷ session'];
  process.stdout.write(table([...header, 'time/req ÷ session'], lines) + '\n');
  for (const path of ['cached', 'cold', 'cold, use recorded'] as const) {
    const keyRow = results.find((r) => r.path === path && r.name.startsWith('API key'))!.result;
    const session = sessionOf(path).result;
    process.stdout.write(
      `${path}: an API key costs ${fixed(session.perSecond / keyRow.perSecond, 2)}× a session token per request ` +
        `(${fixed((1000 * concurrency) / keyRow.perSecond - (1000 * concurrency) / session.perSecond, 3)} ms more ` +
        'per request at this concurrency)\n',
    );
  }
  for (const { name, result } of results)
    if (result.firstError) process.stdout.write(`${name}: first error ${result.firstError}\n`);
} finally {
  await platform?.stop();
  await stack.stop();
}
