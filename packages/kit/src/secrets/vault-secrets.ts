// The production secrets backend: HashiCorp Vault's KV v2 engine through node-vault. `vault:PATH#KEY` reads field
// KEY of the secret at PATH under the configured mount (`secret` by default).
import vault from 'node-vault';
import { KnownValues, readEnvSecret, readFileSecret } from './known-values.ts';
import { SecretError, parseSecretRef, type SecretsProvider } from './provider.ts';

export interface VaultSecretsOptions {
  /** e.g. `http://127.0.0.1:8200` */
  address: string;
  token: string;
  /** KV v2 mount point (default `secret`). */
  mount?: string;
  /** Vault Enterprise namespace, if any. */
  namespace?: string;
  env?: NodeJS.ProcessEnv;
}

type VaultClient = ReturnType<typeof vault>;

export class VaultSecrets implements SecretsProvider {
  #client: VaultClient;
  #mount: string;
  #env: NodeJS.ProcessEnv;
  #known = new KnownValues();

  constructor(options: VaultSecretsOptions) {
    this.#client = vault({
      apiVersion: 'v1',
      endpoint: options.address,
      token: options.token,
      ...(options.namespace ? { namespace: options.namespace } : {}),
    });
    this.#mount = (options.mount ?? 'secret').replace(/^\/|\/$/g, '');
    this.#env = options.env ?? process.env;
    // The token is itself a secret this provider holds: logs must never show it.
    this.#known.remember(options.token);
  }

  async get(ref: string): Promise<string> {
    const { kind, target } = parseSecretRef(ref);
    if (kind === 'env') return this.#known.remember(readEnvSecret(ref, target, this.#env));
    if (kind === 'file') return this.#known.remember(await readFileSecret(ref, target));
    if (kind === 'keystore')
      throw new SecretError(ref, `${ref} needs secrets.provider: local (Vault is configured)`);
    const { path, key } = splitVaultTarget(ref, target);
    const data = await this.#read(ref, path);
    const value = data[key];
    if (value === undefined || value === null) {
      throw new SecretError(ref, `Vault secret ${this.#mount}/${path} has no key "${key}"`, {
        missing: true,
      });
    }
    return this.#known.remember(typeof value === 'string' ? value : JSON.stringify(value));
  }

  /** `name` is `PATH#KEY`; other keys of the secret at PATH are kept (a new version is written). */
  async set(name: string, value: string): Promise<void> {
    const ref = `vault:${name}`;
    const { path, key } = splitVaultTarget(ref, name);
    let current: Record<string, unknown> = {};
    try {
      current = await this.#read(ref, path);
    } catch (err) {
      if (!(err instanceof SecretError && err.missing)) throw err;
    }
    try {
      await this.#client.write(`${this.#mount}/data/${path}`, { data: { ...current, [key]: value } });
    } catch (err) {
      throw new SecretError(ref, `Vault write to ${this.#mount}/${path} failed: ${describe(err)}`, {
        cause: err,
      });
    }
    this.#known.remember(value);
  }

  knownValues(): string[] {
    return this.#known.list();
  }

  async #read(ref: string, path: string): Promise<Record<string, unknown>> {
    try {
      const response = (await this.#client.read(`${this.#mount}/data/${path}`)) as {
        data?: { data?: Record<string, unknown> | null };
      };
      return response.data?.data ?? {};
    } catch (err) {
      const status = (err as { response?: { statusCode?: number } }).response?.statusCode;
      if (status === 404) {
        throw new SecretError(ref, `Vault has no secret at ${this.#mount}/${path}`, {
          missing: true,
          cause: err,
        });
      }
      throw new SecretError(ref, `Vault read of ${this.#mount}/${path} failed: ${describe(err)}`, {
        cause: err,
      });
    }
  }
}

function splitVaultTarget(ref: string, target: string): { path: string; key: string } {
  const hash = target.lastIndexOf('#');
  if (hash <= 0 || hash === target.length - 1) {
    throw new SecretError(ref, `${ref} must have the form vault:PATH#KEY`);
  }
  return { path: target.slice(0, hash).replace(/^\/+/, ''), key: target.slice(hash + 1) };
}

/** Vault errors carry the token-bearing request; only the status and message are worth repeating. */
function describe(err: unknown): string {
  const status = (err as { response?: { statusCode?: number } }).response?.statusCode;
  return `${status ? `HTTP ${status}: ` : ''}${(err as Error).message}`;
}
