// Cloud and service credentials recognisable by their documented prefixes: AWS access key ids,
// GitHub, Slack, Stripe and HashiCorp Vault tokens, model providers' `sk-…` keys (OpenAI-compatible servers,
// Anthropic) and STING's own `sting_…` API keys. One pass of one regex; the group that matched
// names the type.
import type { Detector, Span } from '../types.ts';
import { T_TOKEN } from '../triggers.ts';

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
  },
};
