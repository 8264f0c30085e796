// The embedded Redis's password: generated on first start and kept by the secrets provider (the encrypted
// keystore, or Vault), so every start, and every process the launcher starts, uses the same one.
import { randomBytes } from 'node:crypto';
import { SecretError, type SecretsProvider } from '@sting/kit';

/** Where the password lives: a keystore name, or PATH#KEY in Vault's KV mount. */
const names = { local: 'redis-password', vault: 'sting/redis#password' } as const;
const refs = { local: `keystore:${names.local}`, vault: `vault:${names.vault}` } as const;

export async function embeddedRedisPassword(
  secrets: SecretsProvider,
  provider: keyof typeof names,
): Promise<string> {
  try {
    return await secrets.get(refs[provider]);
  } catch (error) {
    if (!(error instanceof SecretError) || !error.missing) throw error;
  }
  // base64url: safe inside a URL, a redis.conf string and the inline protocol alike.
  const password = randomBytes(24).toString('base64url');
  await secrets.set(names[provider], password);
  return password;
}
