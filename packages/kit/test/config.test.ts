// loadConfig against real files and environments: defaults, overrides, secret references, and errors that name
// the key at fault.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { ConfigError, loadConfig, loadConfigWithSecrets } from '../src/config/index.ts';
import { LocalKeystore } from '../src/secrets/local-keystore.ts';
import { SecretError, parseSecretRef, type SecretsProvider } from '../src/secrets/provider.ts';

const repoConfig = resolve(import.meta.dirname, '../../../config.yml');
const key = randomBytes(32).toString('base64');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sting-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes a config file whose keystore lives in the temporary directory. */
async function configFile(doc: Record<string, unknown>): Promise<string> {
  const path = join(dir, `config-${randomBytes(4).toString('hex')}.yml`);
  const secrets = {
    keystore: join(dir, 'keystore.enc'),
    keyFile: join(dir, 'keystore.key'),
    ...(doc.secrets ?? {}),
  };
  await writeFile(path, stringify({ ...doc, secrets }));
  return path;
}

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

describe('loadConfig', () => {
  it('loads the committed config.yml with its defaults, frozen', async () => {
    // A copy beside a fresh .data: the repository's own keystore (made by a running platform) has another key.
    const copy = join(dir, 'committed', 'config.yml');
    await mkdir(join(dir, 'committed'), { recursive: true });
    await copyFile(repoConfig, copy);
    const config = await loadConfig({ path: copy, env: { STING_KEYSTORE_KEY: key } });
    expect(config.profile).toBe('development');
    expect(config.gateway.port).toBe(4000);
    expect(config.gateway.playground).toBe(true);
    expect(config.gateway.subgraphs['honey-jars']).toBe('http://127.0.0.1:4102/graphql');
    expect(config.secrets.keystore).toBe(resolve(copy, '../.data/keystore.enc'));
    expect(config.identity.admin.password).toBeNull();
    expect(Object.isFrozen(config.gateway.subgraphs)).toBe(true);
    expect(() => {
      (config.gateway as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('fills every key from defaults when the file is empty', async () => {
    const config = await loadConfig({ path: await configFile({}), env: {} });
    expect(config.database.embedded.port).toBe(54329);
    expect(config.logging.level).toBe('info');
  });

  it('reads the durable topics’ stream settings (redis.streams), defaults and bounds per topic', async () => {
    expect((await loadConfig({ path: await configFile({}), env: {} })).redis.streams).toEqual({
      maxLength: {},
      idleSeconds: 30,
      maxDeliveries: 10,
    });
    const path = await configFile({
      redis: { streams: { maxLength: { 'user.deleted': 500 }, idleSeconds: '5' } },
    });
    expect((await loadConfig({ path, env: {} })).redis.streams).toEqual({
      maxLength: { 'user.deleted': 500 },
      idleSeconds: 5,
      maxDeliveries: 10,
    });
    const tiny = await configFile({ redis: { streams: { maxLength: { 'user.deleted': 5 } } } });
    expect((await configError(loadConfig({ path: tiny, env: {} }))).key).toBe(
      'redis.streams.maxLength.user.deleted',
    );
  });

  it('resolves an onnx embeddings model folder against the config file; server model names stay names', async () => {
    const onnx = await loadConfig({
      path: await configFile({ knowledge: { embeddings: { provider: 'onnx', model: 'models/minilm' } } }),
      env: {},
    });
    expect(onnx.knowledge.embeddings.model).toBe(join(dir, 'models/minilm'));
    const ollama = await loadConfig({
      path: await configFile({
        knowledge: { embeddings: { provider: 'ollama', model: 'nomic-embed-text' } },
      }),
      env: {},
    });
    expect(ollama.knowledge.embeddings).toMatchObject({
      model: 'nomic-embed-text',
      apiKey: null,
      dimension: 512,
    });
  });

  it.each([
    [{ gateway: { port: 'abc' } }, 'gateway.port', 'gateway.port: expected number'],
    [{ gateway: { port: 70000 } }, 'gateway.port', 'gateway.port: expected at most 65535'],
    [{ profile: 'staging' }, 'profile', 'profile: expected one of "development", "production"'],
    [{ database: { url: 'not a url' } }, 'database.url', 'database.url: expected a URL'],
    [{ gateway: { prot: 4000 } }, 'gateway.prot', 'gateway.prot: unknown key'],
    [
      { gateway: { playground: 'yes' } },
      'gateway.playground',
      'gateway.playground: expected auto, true or false',
    ],
    [{ logging: { pollenFilter: { enabled: 'no' } } }, 'logging.pollenFilter.enabled', 'expected boolean'],
    [
      { gateway: { subgraphs: { chat: 'nowhere' } } },
      'gateway.subgraphs.chat',
      'gateway.subgraphs.chat: expected a URL',
    ],
  ])('rejects %j naming %s', async (doc, keyPath, message) => {
    const err = await configError(loadConfig({ path: await configFile(doc), env: {} }));
    expect(err.key).toBe(keyPath);
    expect(err.message).toContain(message);
  });

  it('names the file when it is not YAML or cannot be read', async () => {
    const bad = join(dir, 'bad.yml');
    await writeFile(bad, 'gateway: [unclosed');
    expect((await configError(loadConfig({ path: bad, env: {} }))).message).toMatch(
      /bad\.yml is not valid YAML/,
    );
    expect((await configError(loadConfig({ path: join(dir, 'absent.yml'), env: {} }))).message).toMatch(
      /absent\.yml cannot be read/,
    );
  });

  it('applies environment overrides, digits included', async () => {
    const path = await configFile({ gateway: { port: 4000 }, logging: { level: 'info' } });
    const config = await loadConfig({
      path,
      env: {
        STING_PORT: '5000',
        STING_HOST: '0.0.0.0',
        DATABASE_URL: 'postgres://sting@db:5432/sting',
        REDIS_URL: 'redis://cache:6379',
        STING_LOG_LEVEL: 'debug',
        STING_TOPOLOGY: 'distributed',
      },
    });
    expect(config.gateway.port).toBe(5000);
    expect(config.gateway.host).toBe('0.0.0.0');
    expect(config.database.url).toBe('postgres://sting@db:5432/sting');
    expect(config.redis.url).toBe('redis://cache:6379');
    expect(config.logging.level).toBe('debug');
    expect(config.topology).toBe('distributed');
    const err = await configError(loadConfig({ path, env: { STING_PORT: 'abc' } }));
    expect(err.message).toBe('gateway.port: expected number');
  });

  it('reads the file named by STING_CONFIG', async () => {
    const path = await configFile({ gateway: { port: 4321 } });
    expect((await loadConfig({ env: { STING_CONFIG: path } })).gateway.port).toBe(4321);
  });

  it('turns the playground off in production unless set explicitly', async () => {
    const auto = await configFile({ profile: 'production' });
    expect((await loadConfig({ path: auto, env: {} })).gateway.playground).toBe(false);
    expect(
      (await loadConfig({ path: await configFile({}), env: { STING_PROFILE: 'production' } })).gateway
        .playground,
    ).toBe(false);
    const forced = await configFile({ profile: 'production', gateway: { playground: true } });
    expect((await loadConfig({ path: forced, env: {} })).gateway.playground).toBe(true);
  });
});

describe('secret references', () => {
  it('resolves env:, file: and keystore: references and records their values', async () => {
    const passwordFile = join(dir, 'admin-password');
    await writeFile(passwordFile, 'correct horse battery\n');
    const keystorePath = join(dir, 'refs.enc');
    const store = await LocalKeystore.open({ path: keystorePath, keyFile: join(dir, 'unused'), key });
    await store.set('admin-email', 'queen@hive.example');

    const path = await configFile({
      database: { url: 'env:TEST_DATABASE_URL' },
      identity: { admin: { email: 'keystore:admin-email', password: `file:${passwordFile}` } },
      secrets: { keystore: keystorePath },
    });
    const { config, secrets } = await loadConfigWithSecrets({
      path,
      env: { STING_KEYSTORE_KEY: key, TEST_DATABASE_URL: 'postgres://sting:pw@db/sting' },
    });
    expect(config.database.url).toBe('postgres://sting:pw@db/sting');
    expect(config.identity.admin.email).toBe('queen@hive.example');
    expect(config.identity.admin.password).toBe('correct horse battery');
    expect(secrets.knownValues()).toEqual(
      expect.arrayContaining(['postgres://sting:pw@db/sting', 'queen@hive.example', 'correct horse battery']),
    );
    // Each resolved key remembers its reference, so a configuration view can show it instead of the value.
    expect(config.secretReferences).toMatchObject({
      'database.url': 'env:TEST_DATABASE_URL',
      'identity.admin.email': 'keystore:admin-email',
      'identity.admin.password': `file:${passwordFile}`,
    });
  });

  it('routes vault: references through the configured provider', async () => {
    const vault = new Map([['vault:sting/db#url', 'postgres://vault-user@db/sting']]);
    const provider: SecretsProvider = {
      async get(ref) {
        const value = vault.get(ref);
        if (value === undefined)
          throw new SecretError(ref, `no ${parseSecretRef(ref).target}`, { missing: true });
        return value;
      },
      async set(name, value) {
        vault.set(`vault:${name}`, value);
      },
      knownValues: () => [...vault.values()],
    };
    const path = await configFile({
      database: { url: 'vault:sting/db#url' },
      redis: { url: 'vault:sting/redis#url' },
    });
    const err = await configError(loadConfig({ path, env: {}, secrets: provider }));
    expect(err.message).toBe('redis.url: no sting/redis#url');
    await provider.set('sting/redis#url', 'redis://vault-redis:6379');
    const config = await loadConfig({ path, env: {}, secrets: provider });
    expect(config.database.url).toBe('postgres://vault-user@db/sting');
    expect(config.redis.url).toBe('redis://vault-redis:6379');
  });

  it('names the key whose reference cannot be resolved', async () => {
    const unset = await configFile({ database: { url: 'env:STING_TEST_UNSET_VARIABLE' } });
    const err = await configError(loadConfig({ path: unset, env: { STING_KEYSTORE_KEY: key } }));
    expect(err.key).toBe('database.url');
    expect(err.message).toBe('database.url: environment variable STING_TEST_UNSET_VARIABLE is not set');

    const vaultWithLocal = await configFile({ chroma: { url: 'vault:sting/chroma#url' } });
    expect(
      (await configError(loadConfig({ path: vaultWithLocal, env: { STING_KEYSTORE_KEY: key } }))).message,
    ).toMatch(/^chroma\.url: .*secrets\.provider: vault/);

    const missingFile = await configFile({ identity: { admin: { password: `file:${join(dir, 'nope')}` } } });
    expect(
      (await configError(loadConfig({ path: missingFile, env: { STING_KEYSTORE_KEY: key } }))).message,
    ).toMatch(/^identity\.admin\.password: secret file .*nope cannot be read/);
  });

  it('requires a Vault token when the provider is vault', async () => {
    const path = await configFile({ secrets: { provider: 'vault' } });
    const err = await configError(loadConfig({ path, env: {} }));
    expect(err.message).toBe('secrets.vault.token: environment variable VAULT_TOKEN is not set');
  });
});
