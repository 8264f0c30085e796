// What every secrets backend offers: resolving a reference, storing a secret, and remembering each value it has
// handed out so the log filter can redact those values wherever they appear.

/** `env:NAME`, `file:PATH`, `vault:PATH#KEY`, or `keystore:NAME` (the local encrypted keystore). */
export type SecretRef = string;

export interface SecretsProvider {
  /** Resolves a reference; throws SecretError when it names nothing. */
  get(ref: SecretRef): Promise<string>;
  /** Stores a secret under `name` (a keystore name, or `PATH#KEY` in Vault). */
  set(name: string, value: string): Promise<void>;
  /** Every secret value resolved or stored so far. */
  knownValues(): string[];
}

export class SecretError extends Error {
  readonly ref: string;
  /** True when the reference is well-formed but names nothing (an unset variable, a missing key). */
  readonly missing: boolean;
  constructor(ref: string, message: string, options: { missing?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'SecretError';
    this.ref = ref;
    this.missing = options.missing ?? false;
  }
}

const REF = /^(env|file|vault|keystore):(.+)$/s;

export function isSecretRef(value: unknown): value is SecretRef {
  return typeof value === 'string' && REF.test(value);
}

export function parseSecretRef(ref: SecretRef): {
  kind: 'env' | 'file' | 'vault' | 'keystore';
  target: string;
} {
  const match = REF.exec(ref);
  if (!match)
    throw new SecretError(ref, `"${ref}" is not a secret reference (env:, file:, vault:, keystore:)`);
  return { kind: match[1] as 'env' | 'file' | 'vault' | 'keystore', target: match[2] };
}
