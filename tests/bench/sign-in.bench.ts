// What signing in costs through the embedded gateway, by method: a password (one scrypt), a password and a TOTP
// code (the same, plus unsealing the secret and checking the code), and a passkey (two round trips: the
// challenge, then the signed answer verified with ES256; no scrypt). Sequential sign-ins, rows interleaved in
// rounds, each reported with its ratio to the password row of the same run.
// node tests/bench/sign-in.bench.ts   (BENCH_SECONDS per row)
import { randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import type { StingConfig } from '@sting/kit';
import type { RunningPlatform } from '@sting/gateway';
import { SoftAuthenticator } from '../../subgraphs/identity/test/support/soft-authenticator.ts';
import { graphql, login, startBenchPlatform, startBenchStack } from './bench-platform.ts';
import { benchSeconds, closedLoop, fixed, merge, table, type LoadResult } from './measure.ts';

const seconds = benchSeconds(6);
const ROUNDS = 3;
const ORIGIN = 'http://localhost:4000';
const PASSWORD = 'a long enough bench password';
// A TOTP code is accepted once: each person can sign in at most once per 30 s step (a step either side of now is
// accepted too), so the TOTP row cycles through enough people never to reuse a step.
const TOTP_PEOPLE = 80;

const LOGIN = `mutation ($e: String!, $p: String!, $c: String) { login(email: $e, password: $p, secondFactor: $c) { token } }`;

const step = () => Math.floor(Date.now() / 30_000);

async function createPerson(url: string, admin: string, label: string): Promise<string> {
  const email = `${label}.${randomBytes(4).toString('hex')}@bench.example`;
  const created = await graphql(
    url,
    'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }',
    { i: { email, displayName: label, password: PASSWORD } },
    admin,
  );
  if (created.errors) throw new Error(`createUser: ${created.errors[0].message}`);
  return email;
}

interface TotpPerson {
  email: string;
  secret: string;
  lastStep: number;
}

async function enrolTotp(url: string, email: string): Promise<TotpPerson> {
  const token = await login(url, email, PASSWORD);
  const started = await graphql(url, 'mutation { startTotpEnrollment { secret } }', undefined, token);
  const secret = started.data.startTotpEnrollment.secret as string;
  const lastStep = step() - 1;
  const code = await generate({ secret, epoch: lastStep * 30 });
  const confirmed = await graphql(
    url,
    'mutation ($c: String!) { confirmTotpEnrollment(code: $c) { codes } }',
    { c: code },
    token,
  );
  if (confirmed.errors) throw new Error(`confirmTotpEnrollment: ${confirmed.errors[0].message}`);
  return { email, secret, lastStep };
}

/** The next person with an unused step in the accepted window (now ± 1), and that step's code. */
async function nextTotp(people: TotpPerson[]): Promise<{ email: string; code: string }> {
  const now = step();
  for (const person of people) {
    const next = Math.max(person.lastStep + 1, now - 1);
    if (next > now + 1) continue;
    person.lastStep = next;
    return { email: person.email, code: await generate({ secret: person.secret, epoch: next * 30 }) };
  }
  throw new Error('every TOTP person used this window');
}

async function check(result: Promise<{ data?: any; errors?: { message: string }[] }>, field: string) {
  const body = await result;
  if (body.errors) throw new Error(body.errors[0].message);
  if (!body.data?.[field]?.token) throw new Error(`no token from ${field}`);
}

const stack = await startBenchStack();
let platform: RunningPlatform | undefined;
try {
  platform = await startBenchPlatform(
    {
      ...stack,
      config: {
        ...stack.config,
        identity: {
          ...stack.config.identity,
          secondFactor: { ...stack.config.identity.secondFactor, key: randomBytes(32).toString('hex') },
          webauthn: { ...stack.config.identity.webauthn, rpId: 'localhost', origins: [ORIGIN] },
        },
      } as StingConfig,
    },
    'embedded',
  );
  const url = platform.url;
  const admin = await login(url);
  const passwordPerson = await createPerson(url, admin, 'password');
  process.stderr.write(`[bench] enrolling ${TOTP_PEOPLE} people in TOTP\n`);
  const totpPeople: TotpPerson[] = [];
  for (let i = 0; i < TOTP_PEOPLE; i++)
    totpPeople.push(await enrolTotp(url, await createPerson(url, admin, 'totp')));
  const passkeyPerson = await createPerson(url, admin, 'passkey');
  const authenticator = new SoftAuthenticator(ORIGIN);
  const passkeyToken = await login(url, passkeyPerson, PASSWORD);
  const options = await graphql(url, 'mutation { startPasskeyRegistration }', undefined, passkeyToken);
  const registered = await graphql(
    url,
    'mutation ($r: String!) { finishPasskeyRegistration(name: "bench", response: $r) { id } }',
    { r: authenticator.register(options.data.startPasskeyRegistration) },
    passkeyToken,
  );
  if (registered.errors) throw new Error(`finishPasskeyRegistration: ${registered.errors[0].message}`);

  const rows: { name: string; request: () => Promise<void>; rounds: LoadResult[] }[] = [
    {
      name: 'password',
      request: () => check(graphql(url, LOGIN, { e: passwordPerson, p: PASSWORD }), 'login'),
      rounds: [],
    },
    {
      name: 'password + TOTP',
      request: async () => {
        const { email, code } = await nextTotp(totpPeople);
        await check(graphql(url, LOGIN, { e: email, p: PASSWORD, c: code }), 'login');
      },
      rounds: [],
    },
    {
      name: 'passkey (2 requests)',
      request: async () => {
        const started = await graphql(url, 'mutation { startPasskeySignIn { challengeId optionsJson } }');
        const { challengeId, optionsJson } = started.data.startPasskeySignIn;
        await check(
          graphql(
            url,
            'mutation ($c: ID!, $r: String!) { finishPasskeySignIn(challengeId: $c, response: $r) { token } }',
            {
              c: challengeId,
              r: authenticator.signIn(optionsJson),
            },
          ),
          'finishPasskeySignIn',
        );
      },
      rounds: [],
    },
  ];
  // Warm-up: JIT, connection pools, the decoy hash.
  for (const row of rows) await closedLoop(row.request, { concurrency: 1, seconds: 30, maxRequests: 3 });
  for (let round = 0; round < ROUNDS; round++)
    for (const row of rows) {
      const result = await closedLoop(row.request, { concurrency: 1, seconds: seconds / ROUNDS });
      row.rounds.push(result);
      process.stderr.write(`[bench] ${row.name}: ${fixed(result.p50, 1)} ms p50\n`);
    }

  const results = rows.map((row) => ({ name: row.name, result: merge(row.rounds) }));
  const password = results[0].result;
  const mean = (r: LoadResult) => r.latencies.reduce((a, b) => a + b, 0) / Math.max(1, r.latencies.length);
  process.stdout.write(
    `\nSign-in time by method through the embedded gateway: one sign-in at a time, ${seconds}s per row in ` +
      `${ROUNDS} interleaved rounds after a warm-up; scrypt N=2^15 for passwords; passkey = start + finish\n\n`,
  );
  process.stdout.write(
    table(
      ['method', 'sign-ins', 'errors', 'mean ms', 'p50 ms', 'p99 ms', 'mean ÷ password', 'p50 ÷ password'],
      results.map(({ name, result: r }) => [
        name,
        String(r.requests),
        String(r.errors),
        fixed(mean(r), 1),
        fixed(r.p50, 1),
        fixed(r.p99, 1),
        fixed(mean(r) / mean(password), 2),
        fixed(r.p50 / password.p50, 2),
      ]),
    ) + '\n',
  );
  for (const { name, result } of results)
    if (result.firstError) process.stdout.write(`${name}: first error ${result.firstError}\n`);
} finally {
  await platform?.stop();
  await stack.stop();
}
