// Which key names hold secrets. Keys are compared case-insensitively with `-`, `_` and `.` removed,
// so `DB_PASSWORD`, `db-password` and `dbPassword` are one rule.

const EXACT = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'xapikey',
  'apitoken',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'authtoken',
  'xauthtoken',
  'clientsecret',
  'privatekey',
  'secretkey',
  'sessionid',
  'sessiontoken',
  'sessionkey',
  'xvaulttoken',
  'vaulttoken',
  'credentials',
  'credential',
  'authorization',
  'proxyauthorization',
  'cookie',
  'setcookie',
  'jsessionid',
  'phpsessid',
  'passwordhash',
  'passworddigest',
  'xcsrftoken',
  'csrftoken',
  'xsrftoken',
  'auth',
]);

const SUFFIXES = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'privatekey',
  'secretkey',
  'cookie',
];

const HEADERS = new Set(['authorization', 'proxyauthorization', 'cookie', 'setcookie']);

function normalise(key: string): string {
  return key.toLowerCase().replace(/[-_.]/g, '');
}

/** The type a value under `key` is reported as, or null when the key is not a secret's name. */
export function classifyKey(key: string): string | null {
  if (key.length === 0 || key.length > 64) return null;
  const k = normalise(key);
  if (k.includes('awssecret') || k.endsWith('secretaccesskey')) return 'aws_secret_key';
  if (EXACT.has(k)) return 'secret';
  for (const suffix of SUFFIXES) if (k.endsWith(suffix)) return 'secret';
  return null;
}

/** Header-style keys whose unquoted value runs to the end of the line (`Cookie: a=1; b=2`). */
export function isHeaderKey(key: string): boolean {
  return HEADERS.has(normalise(key));
}
