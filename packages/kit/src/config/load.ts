// Reads config.yml once at start: env overrides, validation, secret references resolved by the secrets provider,
// relative paths made absolute, and the result deeply frozen. Any problem stops start-up naming the key.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { LocalKeystore } from '../secrets/local-keystore.ts';
import { readEnvSecret, readFileSecret } from '../secrets/known-values.ts';
import { VaultSecrets } from '../secrets/vault-secrets.ts';
import { SecretError, isSecretRef, parseSecretRef, type SecretsProvider } from '../secrets/provider.ts';
import { ConfigError } from './config-error.ts';
import { applyEnvOverrides } from './env-overrides.ts';
import { configSchema, type ParsedConfig, type StingConfig } from './schema.ts';

export interface LoadConfigOptions {
  /** Default: $STING_CONFIG, else config.yml at the repository root. */
  path?: string;
  /** Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Use this provider instead of opening the one the config names. */
  secrets?: SecretsProvider;
}

/** Keys whose reference may name an unset variable: they resolve to null and their user decides. */
const OPTIONAL_SECRETS = new Set([
  'secrets.vault.token',
  'identity.admin.email',
  'identity.admin.password',
  'identity.secondFactor.key',
  'bee.apiKey',
  'knowledge.storage.key',
  'knowledge.embeddings.apiKey',
]);

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');

export async function loadConfig(options: LoadConfigOptions = {}): Promise<StingConfig> {
  return (await loadConfigWithSecrets(options)).config;
}

/** Also returns the secrets provider, so the process shares one (and its record of values to redact). */
export async function loadConfigWithSecrets(
  options: LoadConfigOptions = {},
): Promise<{ config: StingConfig; secrets: SecretsProvider }> {
  const env = options.env ?? process.env;
  const path = options.path ?? env.STING_CONFIG ?? resolve(REPO_ROOT, 'config.yml');
  const root = dirname(resolve(path));
  const raw = applyEnvOverrides(await readYaml(path, options.path !== undefined || !!env.STING_CONFIG), env);

  const parsed = validate(raw);
  const secrets = options.secrets ?? (await openSecrets(parsed, root, env));
  const secretReferences: Record<string, string> = {};
  const resolved = validate(await resolveReferences(parsed, secrets, [], secretReferences));

  const config = {
    ...resolved,
    root,
    secretReferences,
    gateway: {
      ...resolved.gateway,
      playground:
        resolved.gateway.playground === 'auto'
          ? resolved.profile !== 'production'
          : resolved.gateway.playground,
      supergraph: /^https?:\/\//.test(resolved.gateway.supergraph)
        ? resolved.gateway.supergraph
        : resolve(root, resolved.gateway.supergraph),
    },
    database: withDataDir(resolved.database, root),
    redis: withDataDir(resolved.redis, root),
    chroma: withDataDir(resolved.chroma, root),
    secrets: {
      ...resolved.secrets,
      keystore: resolve(root, resolved.secrets.keystore),
      keyFile: resolve(root, resolved.secrets.keyFile),
    },
    security: { ...resolved.security, keysDir: resolve(root, resolved.security.keysDir) },
    knowledge: { ...resolved.knowledge, embeddings: withModelFolder(resolved.knowledge.embeddings, root) },
  };
  return { config: deepFreeze(config) as StingConfig, secrets };
}

/** An onnx model is a folder: relative to the config file, like every other path in it. */
function withModelFolder(embeddings: Parsed['knowledge']['embeddings'], root: string) {
  if (embeddings.provider !== 'onnx' || !embeddings.model) return embeddings;
  return { ...embeddings, model: resolve(root, embeddings.model) };
}

async function readYaml(path: string, required: boolean): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (!required && (err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new ConfigError(`config file ${path} cannot be read: ${(err as Error).message}`, undefined, {
      cause: err,
    });
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError(`config file ${path} is not valid YAML: ${(err as Error).message}`, undefined, {
      cause: err,
    });
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new ConfigError(`config file ${path} must be a mapping`);
  return doc as Record<string, unknown>;
}

type Parsed = ParsedConfig;

function validate(raw: unknown): Parsed {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = [...issue.path, ...(issue.code === 'unrecognized_keys' ? [issue.keys[0]] : [])].join('.');
  const problems = result.error.issues.map((i) => describeIssue(i)).join('; ');
  throw new ConfigError(problems, key || undefined);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const key = issue.path.join('.');
  const at = (k: string, what: string) => (k ? `${k}: ${what}` : what);
  switch (issue.code) {
    case 'invalid_type':
      return at(key, `expected ${issue.expected}`);
    case 'invalid_value':
      return at(key, `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`);
    case 'invalid_format':
      return at(key, issue.format === 'url' ? 'expected a URL' : `expected ${issue.format}`);
    case 'invalid_union':
      return at(key, issue.message);
    case 'unrecognized_keys':
      return issue.keys.map((k) => at(key ? `${key}.${k}` : k, 'unknown key')).join('; ');
    case 'too_small':
      return at(key, `expected at least ${String(issue.minimum)}`);
    case 'too_big':
      return at(key, `expected at most ${String(issue.maximum)}`);
    default:
      return at(key, issue.message);
  }
}

/** The provider the config names; its own credentials may only be env: or file: references. */
async function openSecrets(parsed: Parsed, root: string, env: NodeJS.ProcessEnv): Promise<SecretsProvider> {
  const { secrets } = parsed;
  if (secrets.provider === 'local') {
    return LocalKeystore.open({
      path: resolve(root, secrets.keystore),
      keyFile: resolve(root, secrets.keyFile),
      key: env.STING_KEYSTORE_KEY || undefined,
      env,
    });
  }
  let token = secrets.vault.token;
  if (token && isSecretRef(token)) {
    const { kind } = parseSecretRef(token);
    if (kind !== 'env' && kind !== 'file') {
      throw new ConfigError(
        'secrets.vault.token: must be a literal, env: or file: reference',
        'secrets.vault.token',
      );
    }
    const { target } = parseSecretRef(token);
    try {
      token = kind === 'env' ? readEnvSecret(token, target, env) : await readFileSecret(token, target);
    } catch (err) {
      throw new ConfigError(`secrets.vault.token: ${(err as Error).message}`, 'secrets.vault.token', {
        cause: err,
      });
    }
  }
  if (!token)
    throw new ConfigError(
      'secrets.vault.token: required when secrets.provider is vault',
      'secrets.vault.token',
    );
  return new VaultSecrets({ address: secrets.vault.address, token, mount: secrets.vault.mount, env });
}

/** Resolves every secret reference, noting in `refs` which reference each resolved key came from. */
async function resolveReferences(
  node: unknown,
  secrets: SecretsProvider,
  path: string[],
  refs: Record<string, string>,
): Promise<unknown> {
  if (Array.isArray(node))
    return Promise.all(node.map((v, i) => resolveReferences(v, secrets, [...path, String(i)], refs)));
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node))
      out[k] = await resolveReferences(v, secrets, [...path, k], refs);
    return out;
  }
  if (!isSecretRef(node)) return node;
  const key = path.join('.');
  refs[key] = node;
  try {
    return await secrets.get(node);
  } catch (err) {
    if (err instanceof SecretError && err.missing && OPTIONAL_SECRETS.has(key)) return null;
    throw new ConfigError(`${key}: ${(err as Error).message}`, key, { cause: err });
  }
}

function withDataDir<T extends { embedded: { dataDir: string } }>(section: T, root: string): T {
  return { ...section, embedded: { ...section.embedded, dataDir: resolve(root, section.embedded.dataDir) } };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
