// The configuration module: loading, its typed result and its error.
export { loadConfig, loadConfigWithSecrets, type LoadConfigOptions } from './load.ts';
export { ConfigError } from './config-error.ts';
export type { StingConfig } from './schema.ts';
