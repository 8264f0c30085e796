// Seeded generators of realistic sensitive values and of hard negatives for the labelled corpus.
// Checksums are computed here independently of the filter, so the labels never come from the code
// under test.

export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Gen {
  readonly rng: Rng;
  constructor(seed: number) {
    this.rng = mulberry32(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rng() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rng() * items.length)];
  }
  chars(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.rng() * alphabet.length)];
    return s;
  }
  digits(n: number): string {
    return this.chars('0123456789', n);
  }
}

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const B64URL = ALNUM + '-_';
const HEX = '0123456789abcdef';

const FIRST = ['alice', 'bob', 'carol', 'dmitri', 'eve', 'farah', 'gunnar', 'hiroko', 'ines', 'jamal', 'kofi', 'lena', 'mateo', 'nadia', 'oskar', 'priya', 'quentin', 'rosa', 'sven', 'tariq'];
const LAST = ['smith', 'nguyen', 'garcia', 'okafor', 'müller', 'tanaka', 'rossi', 'kowalski', 'haddad', 'silva', 'johansson', 'oconnor'];
const DOMAINS = ['example.com', 'mail.example.org', 'acme.io', 'corp.example.co.uk', 'gmail.com', 'outlook.com', 'hive-labs.dev', 'uni-bonn.de', 'proton.me'];

// ---- positives ----

export function email(g: Gen): string {
  const last = g.pick(LAST).replace('ü', 'ue');
  const local = g.pick([
    `${g.pick(FIRST)}.${last}`,
    `${g.pick(FIRST)}_${last}${g.int(1, 99)}`,
    `${g.pick(FIRST)}+${g.pick(['billing', 'sting', 'test'])}`,
    `${g.pick(FIRST)[0]}${last}`,
    `${g.pick(FIRST)}`,
  ]);
  const e = `${local}@${g.pick(DOMAINS)}`;
  return g.rng() < 0.1 ? e.toUpperCase() : e;
}

export function phone(g: Gen): string {
  const area = `${g.int(2, 9)}${g.digits(2)}`;
  const exch = `${g.int(2, 9)}${g.digits(2)}`;
  const line = g.digits(4);
  return g.pick([
    () => `+1${area}${exch}${line}`,
    () => `+1 ${area}-${exch}-${line}`,
    () => `+1 (${area}) ${exch}-${line}`,
    () => `(${area}) ${exch}-${line}`,
    () => `${area}-${exch}-${line}`,
    () => `${area}.${exch}.${line}`,
    () => `+44 20 ${g.int(7, 8)}${g.digits(3)} ${g.digits(4)}`,
    () => `+44 7700 ${g.digits(6)}`,
    () => `020 ${g.int(7, 8)}${g.digits(3)} ${g.digits(4)}`,
    () => `07700 ${g.digits(6)}`,
    () => `+49 30 ${g.digits(8)}`,
    () => `+49${g.int(151, 179)}${g.digits(8)}`,
    () => `+33 6 ${g.digits(2)} ${g.digits(2)} ${g.digits(2)} ${g.digits(2)}`,
    () => `06 ${g.digits(2)} ${g.digits(2)} ${g.digits(2)} ${g.digits(2)}`,
    () => `+81 3-${g.digits(4)}-${g.digits(4)}`,
    () => `+61 4${g.digits(2)} ${g.digits(3)} ${g.digits(3)}`,
  ])();
}

export function luhnCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

function groupCard(digits: string, g: Gen): string {
  const style = g.int(0, 2);
  if (style === 0) return digits;
  const sep = style === 1 ? ' ' : '-';
  if (digits.length === 15) return [digits.slice(0, 4), digits.slice(4, 10), digits.slice(10)].join(sep);
  return digits.match(/.{1,4}/g)!.join(sep);
}

export function cardDigits(g: Gen): string {
  const [prefix, len] = g.pick([
    ['4', 16], ['4', 16], ['51', 16], ['55', 16], ['2221', 16], ['2720', 16], ['34', 15], ['37', 15],
    ['6011', 16], ['65', 16], ['3530', 16], ['62', 16], ['36', 14], ['4', 19],
  ] as const);
  const body = prefix + g.digits(len - prefix.length - 1);
  return body + luhnCheckDigit(body);
}

export function card(g: Gen): string {
  return groupCard(cardDigits(g), g);
}

function mod97(s: string): number {
  let rem = 0;
  for (const ch of s) {
    const v = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rem = (rem * 10 + Number(d)) % 97;
  }
  return rem;
}

export function ibanCompact(g: Gen, valid = true): string {
  const [cc, bban] = g.pick([
    ['DE', () => g.digits(18)],
    ['GB', () => g.chars(UPPER, 4) + g.digits(14)],
    ['FR', () => g.digits(23)],
    ['NL', () => g.chars(UPPER, 4) + g.digits(10)],
    ['ES', () => g.digits(20)],
    ['IT', () => g.chars(UPPER, 1) + g.digits(22)],
    ['BE', () => g.digits(12)],
    ['CH', () => g.digits(17)],
    ['AT', () => g.digits(16)],
    ['PL', () => g.digits(24)],
  ] as const);
  const b = bban();
  const correct = 98 - mod97(b + cc + '00');
  // A wrong check digit pair: any other value in 02..98 fails mod-97.
  const check = valid ? correct : ((correct - 2 + g.int(1, 95)) % 97) + 2;
  return cc + String(check).padStart(2, '0') + b;
}

export function iban(g: Gen): string {
  const compact = ibanCompact(g);
  return g.rng() < 0.4 ? compact.match(/.{1,4}/g)!.join(' ') : compact;
}

export function ssn(g: Gen): string {
  let area = g.int(1, 899);
  if (area === 666) area = 667;
  return `${String(area).padStart(3, '0')}-${String(g.int(1, 99)).padStart(2, '0')}-${String(g.int(1, 9999)).padStart(4, '0')}`;
}

export function ipv4(g: Gen): string {
  return g.pick([
    () => `${g.pick([23, 45, 52, 81, 104, 142, 185, 203, 212])}.${g.int(0, 255)}.${g.int(0, 255)}.${g.int(1, 254)}`,
    () => `10.${g.int(0, 255)}.${g.int(0, 255)}.${g.int(1, 254)}`,
    () => `192.168.${g.int(0, 255)}.${g.int(1, 254)}`,
    () => `172.${g.int(16, 31)}.${g.int(0, 255)}.${g.int(1, 254)}`,
  ])();
}

export function ipv6(g: Gen): string {
  const grp = (): string => g.chars(HEX, g.int(1, 4)).replace(/^0+(?=.)/, '');
  return g.pick([
    () => `2001:db8:${grp()}:${grp()}:${grp()}:${grp()}:${grp()}:${grp()}`,
    () => `2a02:${grp()}:${grp()}::${grp()}`,
    () => `2001:db8::${grp()}:${grp()}`,
    () => `fe80::${grp()}:${grp()}:${grp()}:${grp()}`,
    () => `::ffff:${g.int(1, 223)}.${g.int(0, 255)}.${g.int(0, 255)}.${g.int(1, 254)}`,
    () => `2600:1f18:${grp()}:${grp()}:${grp()}:${grp()}:${grp()}:${grp()}`,
  ])();
}

const b64url = (s: string): string => Buffer.from(s).toString('base64url');

export function jwt(g: Gen): string {
  const alg = g.pick(['HS256', 'RS256', 'ES256', 'EdDSA']);
  const header = g.rng() < 0.5 ? { alg, typ: 'JWT' } : { alg, kid: g.chars(HEX, 16) };
  const payload = { sub: g.chars(HEX, 24), iat: 1705312000 + g.int(0, 1e6), aud: g.pick(['honey-jars', 'chat', 'sting']) };
  return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}.${g.chars(B64URL, alg === 'HS256' ? 43 : 86)}`;
}

export function privateKey(g: Gen, newline: string): string {
  const kind = g.pick(['RSA PRIVATE KEY', 'EC PRIVATE KEY', 'PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'ENCRYPTED PRIVATE KEY']);
  const lines: string[] = [];
  for (let i = 0; i < g.int(2, 6); i++) lines.push(g.chars(ALNUM + '+/', 64));
  return `-----BEGIN ${kind}-----${newline}${lines.join(newline)}${newline}-----END ${kind}-----`;
}

export function password(g: Gen): string {
  return g.pick([
    () => g.chars(ALNUM, g.int(10, 24)),
    () => `${g.pick(['Summer', 'Winter', 'Hunter', 'Qwerty', 'Bee'])}${g.int(1, 2025)}!`,
    () => g.chars(ALNUM + '!#$%^*()-_=+', g.int(12, 32)).replace(/[()]/g, '#'),
  ])();
}

export function urlCredentials(g: Gen): string {
  return `${g.pick(['app', 'admin', 'sting', 'svc_reader', 'postgres', ''])}:${password(g).replace(/[#%/]/g, 'x')}`;
}

export function awsAccessKey(g: Gen): string {
  return g.pick(['AKIA', 'ASIA']) + g.chars(UPPER + '234567', 16);
}

export function awsSecretKey(g: Gen): string {
  return g.chars(ALNUM + '+/', 40);
}

export function githubToken(g: Gen): string {
  return g.pick([
    () => `${g.pick(['ghp', 'gho', 'ghs', 'ghu'])}_${g.chars(ALNUM, 36)}`,
    () => `github_pat_${g.chars(ALNUM, 22)}_${g.chars(ALNUM, 59)}`,
  ])();
}

export function slackToken(g: Gen): string {
  return g.pick([
    () => `xoxb-${g.digits(12)}-${g.digits(13)}-${g.chars(ALNUM, 24)}`,
    () => `xoxp-${g.digits(12)}-${g.digits(12)}-${g.digits(13)}-${g.chars(HEX, 32)}`,
  ])();
}

export function stripeKey(g: Gen): string {
  return `${g.pick(['sk_live_', 'sk_test_', 'rk_live_'])}${g.chars(ALNUM, g.int(24, 99))}`;
}

export function vaultToken(g: Gen): string {
  return g.rng() < 0.7 ? `hvs.${g.chars(B64URL, g.int(24, 95))}` : `s.${g.chars(ALNUM, 24)}`;
}

export function bearerToken(g: Gen): string {
  return g.chars(ALNUM + '-._', g.int(24, 48)) + g.digits(2);
}

// ---- hard negatives ----

export function uuid(g: Gen): string {
  return `${g.chars(HEX, 8)}-${g.chars(HEX, 4)}-4${g.chars(HEX, 3)}-${g.pick(['8', '9', 'a', 'b'])}${g.chars(HEX, 3)}-${g.chars(HEX, 12)}`;
}

export function sha(g: Gen): string {
  return g.chars(HEX, g.pick([7, 12, 40, 64]));
}

export function version(g: Gen): string {
  return g.pick([
    () => `${g.int(0, 20)}.${g.int(0, 40)}.${g.int(0, 30)}`,
    () => `v${g.int(0, 9)}.${g.int(0, 20)}.${g.int(0, 30)}`,
    () => `v${g.int(1, 9)}.${g.int(0, 9)}.${g.int(0, 9)}.${g.int(0, 9)}`,
    () => `${g.int(1, 9)}.${g.int(0, 9)}.${g.int(0, 9)}-rc.${g.int(1, 5)}`,
    () => `10.0.${g.int(17000, 22631)}.${g.int(1000, 3000)}`,
  ])();
}

export function timestamp(g: Gen): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return g.pick([
    () => `2024-${p(g.int(1, 12))}-${p(g.int(1, 28))}T${p(g.int(0, 23))}:${p(g.int(0, 59))}:${p(g.int(0, 59))}.${p(g.int(0, 999), 3)}Z`,
    () => `${1700000000 + g.int(0, 9e7)}`,
    () => `${1700000000000 + g.int(0, 9e10)}`,
    () => `${p(g.int(0, 23))}:${p(g.int(0, 59))}:${p(g.int(0, 59))}.${p(g.int(0, 999), 3)}`,
    () => `2024-${p(g.int(1, 12))}-${p(g.int(1, 28))} ${p(g.int(0, 23))}:${p(g.int(0, 59))}:${p(g.int(0, 59))}`,
  ])();
}

/** 13–19 digit numbers, including brand-like prefixes, whose Luhn check fails. */
export function orderNumber(g: Gen): string {
  const digits = cardDigits(g);
  const last = Number(digits[digits.length - 1]);
  const bad = digits.slice(0, -1) + String((last + g.int(1, 9)) % 10);
  return g.pick([() => bad, () => bad.match(/.{1,4}/g)!.join(' '), () => `ORD-${g.digits(10)}`, () => g.digits(g.int(13, 19))])();
}

export function badIban(g: Gen): string {
  const compact = ibanCompact(g, false);
  return g.rng() < 0.4 ? compact.match(/.{1,4}/g)!.join(' ') : compact;
}

export function localhostHost(g: Gen): string {
  return g.pick(['localhost:3000', '127.0.0.1:8080', 'http://localhost:4000/graphql', '[::1]:5432', '0.0.0.0:9090', 'db.local', 'redis://localhost:6379', 'http://127.0.0.1:8000/healthz']);
}

export function badSsn(g: Gen): string {
  return g.pick([
    () => `000-${g.int(10, 99)}-${g.int(1000, 9999)}`,
    () => `666-${g.int(10, 99)}-${g.int(1000, 9999)}`,
    () => `${g.int(900, 999)}-${g.int(10, 99)}-${g.int(1000, 9999)}`,
    () => `${g.int(100, 899)}-00-${g.int(1000, 9999)}`,
    () => `${g.int(100, 665)}-${g.int(10, 99)}-0000`,
  ])();
}

export function otherNegative(g: Gen): string {
  return g.pick([
    () => `${g.int(256, 999)}.${g.int(0, 255)}.${g.int(0, 255)}.${g.int(0, 255)}`,
    () => `00:1a:${g.chars(HEX, 2)}:${g.chars(HEX, 2)}:${g.chars(HEX, 2)}:${g.chars(HEX, 2)}`,
    () => `${g.int(1, 3)}.${g.int(0, 9)}.${g.int(0, 9)}.${g.int(0, 9)}.${g.int(0, 9)}`,
    () => `trace_id=${g.chars(HEX, 32)}`,
    () => `span=${g.chars(HEX, 16)}`,
    () => `pod=api-${g.chars(HEX, 9)}-${g.chars(LOWER + DIGITS, 5)}`,
    () => `max_tokens=${g.int(64, 4096)}`,
    () => `"prompt_tokens":${g.int(10, 900)}`,
    () => `"token_type":"Bearer"`,
    () => `has_password=${g.pick(['true', 'false'])}`,
    () => `@sting/kit@${g.int(0, 3)}.${g.int(0, 9)}.${g.int(0, 9)}`,
    () => `react@18.${g.int(0, 3)}.${g.int(0, 9)}`,
    () => `logo@2x.png`,
    () => `${g.int(800, 3840)}x${g.int(600, 2160)}`,
    () => `ISBN 978-3-${g.digits(2)}-${g.digits(6)}-${g.int(0, 9)}`,
    () => `-----BEGIN CERTIFICATE-----`,
    () => `eyJ${g.chars(B64URL, 20)}`,
    () => `s.${g.pick(['example', 'config', 'handler'])}`,
    () => `user@localhost`,
    () => `Bearer realm="sting"`,
    () => `std::vector<int>`,
    () => `$${g.int(1, 9)},${g.digits(3)}.${g.digits(2)}`,
    () => `token_count=${g.int(1, 9999)}`,
    () => `password_policy=strong`,
    () => `rt=0.${g.digits(3)} uct=0.${g.digits(3)}`,
    () => `container=${g.chars(HEX, 64)}`,
    () => `build ${g.int(1000, 9999)}-${g.int(10, 99)}-${g.int(1000, 9999)}`,
  ])();
}
