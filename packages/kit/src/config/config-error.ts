// Raised when config.yml (with its env overrides) cannot be used; the message names the offending key.
export class ConfigError extends Error {
  /** Dotted path of the key, e.g. `gateway.port`, when one key is at fault. */
  readonly key?: string;
  constructor(message: string, key?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
    this.key = key;
  }
}
