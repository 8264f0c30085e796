// Resolution shared by every provider: the `env:` and `file:` kinds, and the record of values handed out.
import { readFile } from 'node:fs/promises';
import { SecretError } from './provider.ts';

/** Values shorter than this are not remembered: redacting "1" or "no" everywhere would wreck every log line. */
const MIN_REDACTABLE_LENGTH = 4;

export class KnownValues {
  #values = new Set<string>();

  remember(value: string): string {
    if (value.length >= MIN_REDACTABLE_LENGTH) this.#values.add(value);
    return value;
  }

  list(): string[] {
    return [...this.#values];
  }
}

export function readEnvSecret(ref: string, name: string, env: NodeJS.ProcessEnv): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new SecretError(ref, `environment variable ${name} is not set`, { missing: true });
  }
  return value;
}

export async function readFileSecret(ref: string, path: string): Promise<string> {
  try {
    // A trailing newline is almost always an editor's, not part of the secret.
    return (await readFile(path, 'utf8')).replace(/\r?\n$/, '');
  } catch (err) {
    throw new SecretError(ref, `secret file ${path} cannot be read: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
