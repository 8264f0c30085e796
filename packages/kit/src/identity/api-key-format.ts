// What an API key looks like, so the gateway can tell one from a session token before asking anyone, and identity
// can refuse anything else without a lookup: `sting_` and 32 random bytes in base64url (43 characters).

export const API_KEY_PREFIX = 'sting_';

const API_KEY_FORMAT = /^sting_[A-Za-z0-9_-]{43}$/;

/** A string shaped like an API key (whether it names a live one is identity's to say). */
export function isApiKeyFormat(value: unknown): value is string {
  return typeof value === 'string' && API_KEY_FORMAT.test(value);
}

/** Meant as an API key: it carries the prefix (a malformed one is still not a session token). */
export function looksLikeApiKey(value: string): boolean {
  return value.startsWith(API_KEY_PREFIX);
}
