// What partial mode may show of each type. Each rule reveals a fixed, non-identifying fragment;
// types without a rule fall back to the plain label, never to more of the value.

const lastDigits = (value: string, n: number): string => value.replace(/\D/g, '').slice(-n);

const RULES: Record<string, (value: string) => string> = {
  card: (v) => `****${lastDigits(v, 4)}`,
  ssn: (v) => `***-**-${lastDigits(v, 4)}`,
  phone: (v) => `***${lastDigits(v, 2)}`,
  iban: (v) => {
    const compact = v.replace(/ /g, '');
    return `${compact.slice(0, 2)}…${compact.slice(-4)}`;
  },
  email: (v) => {
    // The domain after the `@`, or after `%40` / `%2540` in a URL-encoded address (an address holds one).
    const at = Math.max(v.lastIndexOf('@'), v.lastIndexOf('%40'), v.lastIndexOf('%2540'));
    return `${v[0]}***${v.slice(at)}`;
  },
  ipv4: (v) => v.split('.').slice(0, 2).join('.') + '.x.x',
  ipv6: (v) => {
    // The routing prefix (at most three groups, never past a `::`) stays; the interface id goes.
    const cut = v.indexOf('::');
    const head = (cut === -1 ? v : v.slice(0, cut)).split(':').slice(0, 3).filter(Boolean);
    return `${head.join(':')}::/${head.length * 16}`;
  },
  url_credentials: (v) => `${v.slice(0, v.indexOf(':'))}:***`,
  aws_access_key: (v) => `${v.slice(0, 4)}…`,
  github_token: (v) => `${v.startsWith('github_pat_') ? 'github_pat_' : v.slice(0, 4)}…`,
  slack_token: (v) => `${v.slice(0, v.indexOf('-') + 1)}…`,
  stripe_key: (v) => `${v.slice(0, v.lastIndexOf('_') + 1)}…`,
  vault_token: (v) => `${v.slice(0, v.indexOf('.') + 1)}…`,
  model_api_key: (v) => `${v.slice(0, v.indexOf('-') + 1)}…`,
  sting_api_key: () => 'sting_…',
  jwt: (v) => {
    try {
      const header = JSON.parse(Buffer.from(v.slice(0, v.indexOf('.')), 'base64url').toString('utf8'));
      const alg = String(header.alg)
        .replace(/[^\w-]/g, '')
        .slice(0, 16);
      return `alg=${alg}`;
    } catch {
      return '';
    }
  },
  private_key: (v) => {
    const kind = /^-----BEGIN ([A-Z0-9 ]{0,24}?) ?PRIVATE KEY/.exec(v)?.[1];
    return kind ?? '';
  },
};

/** The fragment partial mode shows for `type`, or '' when the type shows nothing. */
export function partialFragment(type: string, value: string): string {
  const rule = RULES[type];
  return rule === undefined ? '' : rule(value);
}
