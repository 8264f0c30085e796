// Cloud and service credentials recognisable by their documented prefixes: AWS access key ids,
// GitHub, Slack, Stripe and HashiCorp Vault tokens, model providers' `sk-…` keys (OpenAI-compatible servers,
// Anthropic) and STING's own `sting_…` API keys. One pass of one regex; the group that matched
// names the type.
import type { Detector, Span } from '../types.ts';
import { T_TOKEN } from '../triggers.ts';
import { hexValue, isWord } from './char-classes.ts';

const TOKENS = new RegExp(
  '(?<![A-Za-z0-9_])(?:' +
    [
      '(?<aws>(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16})',
      '(?<github>gh[pousr]_[A-Za-z0-9]{30,251}|github_pat_[A-Za-z0-9_]{22,244})',
      '(?<slack>xox[abposr]-[A-Za-z0-9-]{10,250}|xapp-\\d-[A-Za-z0-9-]{10,250})',
      '(?<stripe>(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,247}|whsec_[A-Za-z0-9]{24,250})',
      '(?<vault>hv[sbr]\\.[A-Za-z0-9_-]{24,250}|s\\.[A-Za-z0-9]{24})',
      '(?<model>sk-(?:proj-|svcacct-|admin-|ant-[a-z]{3,5}\\d{2}-)?[A-Za-z0-9_-]{32,250})',
      '(?<sting>sting_[A-Za-z0-9_-]{43})',
    ].join('|') +
    ')(?![A-Za-z0-9_])',
  'g',
);

const TYPE_BY_GROUP = {
  aws: 'aws_access_key',
  github: 'github_token',
  slack: 'slack_token',
  stripe: 'stripe_key',
  vault: 'vault_token',
  model: 'model_api_key',
  sting: 'sting_api_key',
} as const;

// Legacy Vault `s.` tokens are exactly 24 random base62 characters: demanding mixed case keeps
// dotted identifiers such as `s.configurationvalues1234` out.
function legacyVaultLike(token: string): boolean {
  const body = token.slice(2);
  return /[A-Z]/.test(body) && /[a-z]/.test(body);
}

// `sk-` also starts ordinary hyphenated words (`sk-learn-compatible-estimators`): a key's body is random, so it has
// digits and both cases.
function randomLooking(body: string): boolean {
  return /\d/.test(body) && /[A-Z]/.test(body) && /[a-z]/.test(body);
}

const STING_PREFIX = 'sting_';
const STING_BODY = 43;

function isBodyChar(c: number): boolean {
  return isWord(c) || c === 45;
}

/**
 * STING keys glued to the text around them, which the pattern above leaves alone: after `_` or an
 * encoded character (`key_sting_…`, `?next=%2Fx%3Fkey%3Dsting_…`), or followed by more letters. A key
 * is exactly 43 characters after its prefix, so it ends there; glued, it must also look random, as
 * 32 random bytes do, which keeps identifiers such as `testing_…` and `sting_operation_…` out.
 */
function gluedStingKeys(text: string, out: Span[]): void {
  // What the 43 characters after each `sting_` hold, counted over a window that only moves forward
  // (occurrences come in order), so overlapping candidates (`sting_sting_…`) are not read again.
  const counts = new Int32Array(4); // digits, capitals, small letters, characters no key holds
  let from = 0;
  let to = 0;
  const kind = (c: number): number =>
    c >= 48 && c <= 57 ? 0 : c >= 65 && c <= 90 ? 1 : c >= 97 && c <= 122 ? 2 : isBodyChar(c) ? -1 : 3;
  let i = text.indexOf(STING_PREFIX);
  while (i !== -1) {
    const bodyStart = i + STING_PREFIX.length;
    const end = bodyStart + STING_BODY;
    if (end > text.length) return;
    const before = i === 0 ? -1 : text.charCodeAt(i - 1);
    const after = end < text.length ? text.charCodeAt(end) : -1;
    const gluedBefore = before === 95 || (i >= 3 && isEncoded(text, i - 3));
    let found = false;
    if ((gluedBefore || !isWord(before)) && (gluedBefore || isWord(after))) {
      if (from < bodyStart) {
        for (let j = from; j < Math.min(to, bodyStart); j++) {
          const k = kind(text.charCodeAt(j));
          if (k >= 0) counts[k]--;
        }
        from = bodyStart;
        if (to < from) to = from;
      }
      for (; to < end; to++) {
        const k = kind(text.charCodeAt(to));
        if (k >= 0) counts[k]++;
      }
      found = counts[3] === 0 && counts[0] > 0 && counts[1] > 0 && counts[2] > 0;
    }
    // Later occurrences are read even inside a key found here: `sting_sting_<key>` holds the key
    // itself six characters on, and its end lies past this span.
    if (found) out.push({ start: i, end, type: 'sting_api_key' });
    i = text.indexOf(STING_PREFIX, i + 1);
  }
}

/** `%XX`: an encoded character at `at`. */
function isEncoded(text: string, at: number): boolean {
  return (
    text.charCodeAt(at) === 37 &&
    hexValue(text.charCodeAt(at + 1)) >= 0 &&
    hexValue(text.charCodeAt(at + 2)) >= 0
  );
}

export const serviceTokenDetector: Detector = {
  types: Object.values(TYPE_BY_GROUP),
  trigger: T_TOKEN,
  detect(text: string, out: Span[]): void {
    TOKENS.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = TOKENS.exec(text)) !== null) {
      const groups = m.groups ?? {};
      let type: string | undefined;
      for (const name of Object.keys(TYPE_BY_GROUP) as (keyof typeof TYPE_BY_GROUP)[]) {
        if (groups[name] !== undefined) type = TYPE_BY_GROUP[name];
      }
      if (!type) continue;
      if (type === 'vault_token' && m[0].startsWith('s.') && !legacyVaultLike(m[0])) continue;
      if (type === 'model_api_key' && !randomLooking(m[0].slice(3))) continue;
      out.push({ start: m.index, end: m.index + m[0].length, type });
    }
    gluedStingKeys(text, out);
  },
};
