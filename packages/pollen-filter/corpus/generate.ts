// Writes corpus/labelled.jsonl: realistic log lines (nginx, text, logfmt, JSON) with the exact
// spans and types of every sensitive value, and the hard negatives placed beside them.
// Deterministic (fixed seed); rerun with `node packages/pollen-filter/corpus/generate.ts`.
import { writeFileSync } from 'node:fs';
import * as v from './values.ts';
import { HAND_WRITTEN } from './hand-written.ts';

export type Part = string | { type: string; value: string } | { negative: string; value: string };

export interface LabelledLine {
  text: string;
  spans: { start: number; end: number; type: string }[];
  negatives: { start: number; end: number; kind: string }[];
}

export function assemble(parts: Part[]): LabelledLine {
  let text = '';
  const spans: LabelledLine['spans'] = [];
  const negatives: LabelledLine['negatives'] = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      text += part;
      continue;
    }
    const start = text.length;
    text += part.value;
    if ('type' in part) spans.push({ start, end: text.length, type: part.type });
    else negatives.push({ start, end: text.length, kind: part.negative });
  }
  return { text, spans, negatives };
}

const P = (type: string, value: string): Part => ({ type, value });
const N = (negative: string, value: string): Part => ({ negative, value });

type Frame = 'text' | 'json';
type Context = (g: v.Gen, frame: Frame) => Part[];

/** How each type shows up in a log line; `json` contexts are `"key":value` members. */
const CONTEXTS: Record<string, Context[]> = {
  email: [
    (g, f) => (f === 'json' ? ['"email":"', P('email', v.email(g)), '"'] : ['user=', P('email', v.email(g))]),
    (g, f) => [f === 'json' ? '"msg":"password reset link sent to ' : 'password reset link sent to ', P('email', v.email(g)), f === 'json' ? '"' : ''],
    (g, f) => (f === 'json' ? ['"to":["', P('email', v.email(g)), '","', P('email', v.email(g)), '"]'] : ['invite from <', P('email', v.email(g)), '> accepted']),
  ],
  phone: [
    (g, f) => (f === 'json' ? ['"phone":"', P('phone', v.phone(g)), '"'] : ['phone="', P('phone', v.phone(g)), '"']),
    (g, f) => [f === 'json' ? '"msg":"sms code sent to ' : 'sms code sent to ', P('phone', v.phone(g)), f === 'json' ? '"' : ' via gateway'],
  ],
  card: [
    (g, f) => (f === 'json' ? ['"card_number":"', P('card', v.card(g)), '"'] : ['card=', P('card', v.card(g).replace(/ /g, '-'))]),
    (g, f) => [f === 'json' ? '"msg":"charge declined for card ' : 'charge declined for card ', P('card', v.card(g)), f === 'json' ? '"' : ' (insufficient funds)'],
  ],
  iban: [
    (g, f) => (f === 'json' ? ['"iban":"', P('iban', v.iban(g)), '"'] : ['payout scheduled to ', P('iban', v.iban(g)), ' amount=120.00 EUR']),
  ],
  ssn: [
    (g, f) => (f === 'json' ? ['"ssn":"', P('ssn', v.ssn(g)), '"'] : ['identity check ssn=', P('ssn', v.ssn(g)), ' result=match']),
    (g, f) => [f === 'json' ? '"msg":"W-9 received, SSN ' : 'W-9 received, SSN ', P('ssn', v.ssn(g)), f === 'json' ? '"' : ''],
  ],
  ipv4: [
    (g, f) => (f === 'json' ? ['"remote_addr":"', P('ipv4', v.ipv4(g)), '"'] : ['client=', P('ipv4', v.ipv4(g))]),
    (g, f) => (f === 'json' ? ['"x_forwarded_for":"', P('ipv4', v.ipv4(g)), ', ', P('ipv4', v.ipv4(g)), '"'] : ['X-Forwarded-For: ', P('ipv4', v.ipv4(g)), ', ', P('ipv4', v.ipv4(g))]),
  ],
  ipv6: [
    (g, f) => (f === 'json' ? ['"remote_addr":"', P('ipv6', v.ipv6(g)), '"'] : ['client=', P('ipv6', v.ipv6(g))]),
    (g, f) => [f === 'json' ? '"msg":"connection from [' : 'connection from [', P('ipv6', v.ipv6(g)), f === 'json' ? ']:443"' : ']:443 closed'],
  ],
  jwt: [
    (g, f) => (f === 'json' ? ['"authorization":"Bearer ', P('jwt', v.jwt(g)), '"'] : ['Authorization: Bearer ', P('jwt', v.jwt(g))]),
    (g, f) => (f === 'json' ? ['"assertion":"', P('jwt', v.jwt(g)), '"'] : ['identity assertion ', P('jwt', v.jwt(g)), ' rejected: audience mismatch']),
  ],
  private_key: [
    (g, f) => (f === 'json' ? ['"private_key":"', P('private_key', v.privateKey(g, '\\n')), '"'] : ['loaded signing key\n', P('private_key', v.privateKey(g, '\n'))]),
    (g, f) => [f === 'json' ? '"msg":"bad key material: ' : 'bad key material: ', P('private_key', v.privateKey(g, '\\n')), f === 'json' ? '"' : ''],
  ],
  url_credentials: [
    (g, f) => [f === 'json' ? '"dsn":"postgres://' : 'DATABASE_URL=postgres://', P('url_credentials', v.urlCredentials(g)), `@db-${g.int(1, 3)}.internal:5432/sting`, f === 'json' ? '"' : ''],
    (g, f) => [f === 'json' ? '"msg":"connecting to redis://' : 'connecting to redis://', P('url_credentials', v.urlCredentials(g)), '@cache:6379/0', f === 'json' ? '"' : ''],
    (g, f) => [f === 'json' ? '"broker":"amqps://' : 'broker=amqps://', P('url_credentials', v.urlCredentials(g)), '@mq.example.net/vhost', f === 'json' ? '"' : ''],
  ],
  aws_access_key: [
    (g, f) => (f === 'json' ? ['"AccessKeyId":"', P('aws_access_key', v.awsAccessKey(g)), '"'] : ['aws_access_key_id=', P('aws_access_key', v.awsAccessKey(g))]),
    (g, f) => [f === 'json' ? '"msg":"assumed role with ' : 'assumed role with ', P('aws_access_key', v.awsAccessKey(g)), f === 'json' ? '"' : ' region=eu-west-1'],
  ],
  aws_secret_key: [
    (g, f) => (f === 'json' ? ['"SecretAccessKey":"', P('aws_secret_key', v.awsSecretKey(g)), '"'] : ['aws_secret_access_key=', P('aws_secret_key', v.awsSecretKey(g))]),
    (g, f) => (f === 'json' ? ['"AWS_SECRET_ACCESS_KEY":"', P('aws_secret_key', v.awsSecretKey(g)), '"'] : ['env AWS_SECRET_ACCESS_KEY=', P('aws_secret_key', v.awsSecretKey(g)), ' AWS_REGION=us-east-1']),
  ],
  github_token: [
    (g, f) => (f === 'json' ? ['"github_token":"', P('github_token', v.githubToken(g)), '"'] : ['GITHUB_TOKEN=', P('github_token', v.githubToken(g))]),
    (g, f) => [f === 'json' ? '"msg":"revoked leaked token ' : 'revoked leaked token ', P('github_token', v.githubToken(g)), f === 'json' ? '"' : ''],
  ],
  slack_token: [
    (g, f) => (f === 'json' ? ['"slack_bot_token":"', P('slack_token', v.slackToken(g)), '"'] : ['alert webhook auth with ', P('slack_token', v.slackToken(g))]),
  ],
  stripe_key: [
    (g, f) => (f === 'json' ? ['"stripe_secret":"', P('stripe_key', v.stripeKey(g)), '"'] : ['stripe.api_key=', P('stripe_key', v.stripeKey(g))]),
    (g, f) => [f === 'json' ? '"msg":"Invalid API Key provided: ' : 'stripe error: Invalid API Key provided: ', P('stripe_key', v.stripeKey(g)), f === 'json' ? '"' : ''],
  ],
  vault_token: [
    (g, f) => (f === 'json' ? ['"vault_token":"', P('vault_token', v.vaultToken(g)), '"'] : ['X-Vault-Token: ', P('vault_token', v.vaultToken(g))]),
    (g, f) => [f === 'json' ? '"msg":"renewed lease using ' : 'renewed lease using ', P('vault_token', v.vaultToken(g)), f === 'json' ? '"' : ' ttl=768h'],
  ],
  bearer_token: [
    (g, f) => (f === 'json' ? ['"authorization":"Bearer ', P('bearer_token', v.bearerToken(g)), '"'] : ['Authorization: Bearer ', P('bearer_token', v.bearerToken(g))]),
    (g, f) => [f === 'json' ? '"msg":"curl -H \\"Authorization: Bearer ' : 'retrying: curl -H "Authorization: Bearer ', P('bearer_token', v.bearerToken(g)), f === 'json' ? '\\" https://api.example.com\\"' : '" https://api.example.com'],
  ],
  secret: [
    (g, f) => (f === 'json' ? ['"password":"', P('secret', v.password(g)), '"'] : ['password=', P('secret', v.password(g))]),
    (g, f) => (f === 'json' ? ['"client_secret":"', P('secret', v.password(g)), '"'] : ['client_secret=', P('secret', v.password(g)), '&grant_type=client_credentials']),
    (g, f) => (f === 'json' ? ['"cookie":"', P('secret', `session=${v.password(g)}; theme=dark`), '"'] : ['Cookie: ', P('secret', `session=${v.password(g)}; theme=dark`)]),
    (g, f) => (f === 'json' ? ['"x-api-key":"', P('secret', v.password(g)), '"'] : ['X-Api-Key: ', P('secret', v.password(g))]),
    (g, f) => (f === 'json' ? ['"DB_PASSWORD":"', P('secret', v.password(g)), '"'] : ['config DB_PASSWORD=', P('secret', v.password(g)), ' DB_USER=sting']),
    (g, f) => (f === 'json' ? ['"body":"{\\"username\\":\\"bee\\",\\"password\\":\\"', P('secret', v.password(g)), '\\"}"'] : ['yaml: password: ', P('secret', v.password(g))]),
  ],
};

const NEGATIVES: [string, (g: v.Gen) => string][] = [
  ['uuid', v.uuid], ['hash', v.sha], ['version', v.version], ['timestamp', v.timestamp],
  ['order_number', v.orderNumber], ['bad_iban', v.badIban], ['localhost', v.localhostHost],
  ['bad_ssn', v.badSsn], ['other', v.otherNegative],
];

function negative(g: v.Gen, frame: Frame): Part[] {
  const [kind, make] = g.pick(NEGATIVES);
  const value = make(g);
  const key = g.pick(['ref', 'id', 'detail', 'note']);
  if (frame === 'json') return [`"${key}":"`, N(kind, value.replace(/"/g, '\\"')), '"'];
  return [`${key}=`, N(kind, value)];
}

const SERVICES = ['gateway', 'identity', 'honey-jars', 'knowledge', 'chat', 'observability'];
const LEVELS = ['info', 'warn', 'error', 'debug'];

function jsonLine(g: v.Gen, members: Part[][]): Part[] {
  const parts: Part[] = [`{"time":"2024-03-09T14:02:${g.int(10, 59)}.532Z","level":"${g.pick(LEVELS)}","service":"${g.pick(SERVICES)}"`];
  for (const m of members.sort(() => g.rng() - 0.5)) parts.push(',', ...m);
  parts.push(`,"request_id":"${v.uuid(g)}"}`);
  return parts;
}

function textLine(g: v.Gen, pieces: Part[][]): Part[] {
  const style = g.int(0, 2);
  const ts = `2024-03-09T14:02:${g.int(10, 59)}.${g.int(100, 999)}Z`;
  const svc = g.pick(SERVICES);
  const lvl = g.pick(LEVELS);
  const parts: Part[] = [];
  if (style === 0) parts.push(`${ts} ${lvl.toUpperCase().padEnd(5)} [${svc}]`);
  else if (style === 1) parts.push(`ts=${ts} level=${lvl} service=${svc}`);
  else {
    // nginx combined format: the client address leads the line.
    parts.push(g.rng() < 0.8 ? P('ipv4', v.ipv4(g)) : N('localhost', '127.0.0.1'));
    parts.push(` - - [09/Mar/2024:14:02:${g.int(10, 59)} +0000] "${g.pick(['GET', 'POST'])} /api/v1/honey-jars/${v.uuid(g)} HTTP/1.1" ${g.pick([200, 201, 401, 403, 500])} ${g.int(120, 90000)} "-" "Mozilla/5.0 (X11; Linux x86_64)"`);
  }
  for (const p of pieces.sort(() => g.rng() - 0.5)) parts.push(' ', ...p);
  return parts;
}

export function generate(seed = 20240309): LabelledLine[] {
  const g = new v.Gen(seed);
  const lines: LabelledLine[] = [];
  const types = Object.keys(CONTEXTS);
  // Every type many times across its contexts and both frames, each beside a hard negative.
  for (let round = 0; round < 26; round++) {
    for (const type of types) {
      const context = CONTEXTS[type][round % CONTEXTS[type].length];
      const frame: Frame = g.rng() < 0.35 ? 'json' : 'text';
      const pieces = [context(g, frame), negative(g, frame)];
      lines.push(assemble(frame === 'json' ? jsonLine(g, pieces) : textLine(g, pieces)));
    }
  }
  // Lines holding nothing sensitive: only hard negatives.
  for (let i = 0; i < 220; i++) {
    const frame: Frame = g.rng() < 0.35 ? 'json' : 'text';
    const negs = [negative(g, frame), negative(g, frame)];
    lines.push(assemble(frameLineNoClient(g, frame, negs)));
  }
  for (const hand of HAND_WRITTEN) lines.push(assemble(hand));
  return lines;
}

function frameLineNoClient(g: v.Gen, frame: Frame, negs: Part[][]): Part[] {
  if (frame === 'json') {
    const parts: Part[] = [`{"time":"2024-03-09T14:02:11.532Z","level":"${g.pick(LEVELS)}","service":"${g.pick(SERVICES)}","msg":"${g.pick(['job finished', 'cache miss', 'upstream slow', 'chunked document'])}"`];
    for (const n of negs) parts.push(',', ...n);
    return [...parts, '}'];
  }
  const parts: Part[] = [`${v.timestamp(g)} ${g.pick(LEVELS).toUpperCase()} [${g.pick(SERVICES)}] ${g.pick(['embedding batch done', 'retrying fetch', 'GC pause', 'served from cache'])}`];
  for (const n of negs) parts.push(' ', ...n);
  return parts;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = new URL('./labelled.jsonl', import.meta.url);
  const lines = generate();
  writeFileSync(out, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const positives = lines.reduce((n, l) => n + l.spans.length, 0);
  const negatives = lines.reduce((n, l) => n + l.negatives.length, 0);
  console.log(`wrote ${lines.length} lines, ${positives} positives, ${negatives} hard negatives`);
}
