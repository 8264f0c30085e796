// The embedded topology's secrets: one AES-256-GCM encrypted file, rewritten atomically with a fresh IV on every
// change. The key comes from STING_KEYSTORE_KEY or a key file created (0600) on first start.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, link, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { KnownValues, readEnvSecret, readFileSecret } from './known-values.ts';
import { SecretError, parseSecretRef, type SecretsProvider } from './provider.ts';

const FORMAT = 'sting-keystore-v1';

export interface LocalKeystoreOptions {
  /** The encrypted data file. */
  path: string;
  /** Used (and created 0600 if absent) when no key is given. */
  keyFile: string;
  /** base64 or hex encoding of 32 bytes, e.g. from STING_KEYSTORE_KEY. */
  key?: string;
  /** Where `env:` references are read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

type SealedFile = { format: string; iv: string; tag: string; data: string };

export class LocalKeystore implements SecretsProvider {
  readonly path: string;
  #key: Buffer;
  #secrets: Record<string, string>;
  #env: NodeJS.ProcessEnv;
  #known = new KnownValues();
  #writing: Promise<void> = Promise.resolve();

  private constructor(path: string, key: Buffer, secrets: Record<string, string>, env: NodeJS.ProcessEnv) {
    this.path = path;
    this.#key = key;
    this.#secrets = secrets;
    this.#env = env;
  }

  static async open(options: LocalKeystoreOptions): Promise<LocalKeystore> {
    const key = options.key
      ? decodeKey(options.key, 'STING_KEYSTORE_KEY')
      : await keyFromFile(options.keyFile);
    const secrets = await unseal(options.path, key);
    return new LocalKeystore(options.path, key, secrets, options.env ?? process.env);
  }

  async get(ref: string): Promise<string> {
    const { kind, target } = parseSecretRef(ref);
    switch (kind) {
      case 'env':
        return this.#known.remember(readEnvSecret(ref, target, this.#env));
      case 'file':
        return this.#known.remember(await readFileSecret(ref, target));
      case 'keystore': {
        const value = this.#secrets[target];
        if (value === undefined)
          throw new SecretError(ref, `keystore has no secret "${target}"`, { missing: true });
        return this.#known.remember(value);
      }
      case 'vault':
        throw new SecretError(ref, `${ref} needs secrets.provider: vault (the local keystore is configured)`);
    }
  }

  async set(name: string, value: string): Promise<void> {
    this.#secrets = { ...this.#secrets, [name]: value };
    this.#known.remember(value);
    const snapshot = this.#secrets;
    // Writes are serialised so the file always holds the latest complete state.
    this.#writing = this.#writing.catch(() => undefined).then(() => seal(this.path, this.#key, snapshot));
    await this.#writing;
  }

  /** Names held in the keystore (values are never listed). */
  names(): string[] {
    return Object.keys(this.#secrets);
  }

  knownValues(): string[] {
    return this.#known.list();
  }
}

function decodeKey(text: string, source: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) throw new SecretError(source, `${source} must be 32 bytes, base64 or hex encoded`);
  return key;
}

async function keyFromFile(keyFile: string): Promise<Buffer> {
  try {
    return decodeKey(await readFile(keyFile, 'utf8'), `keystore key file ${keyFile}`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = randomBytes(32);
  await mkdir(dirname(keyFile), { recursive: true, mode: 0o700 });
  // `wx`: if another process created the key first, use theirs rather than overwrite it.
  try {
    await writeAtomically(keyFile, key.toString('base64') + '\n', true);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return decodeKey(await readFile(keyFile, 'utf8'), `keystore key file ${keyFile}`);
  }
  return key;
}

async function unseal(path: string, key: Buffer): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw err;
  }
  let sealed: SealedFile;
  try {
    sealed = JSON.parse(text) as SealedFile;
    if (sealed.format !== FORMAT) throw new Error(`unknown format ${String(sealed.format)}`);
  } catch (err) {
    throw new SecretError(path, `keystore ${path} is not a STING keystore: ${(err as Error).message}`);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(FORMAT));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plain = Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
    return JSON.parse(plain.toString('utf8')) as Record<string, string>;
  } catch (err) {
    throw new SecretError(
      path,
      `keystore ${path} cannot be decrypted with this key (wrong STING_KEYSTORE_KEY or key file, or the file was altered)`,
      { cause: err },
    );
  }
}

async function seal(path: string, key: Buffer, secrets: Record<string, string>): Promise<void> {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(FORMAT));
  const data = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
  const sealed: SealedFile = {
    format: FORMAT,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeAtomically(path, JSON.stringify(sealed) + '\n', false);
}

/** Writes a 0600 temporary file beside `path`, syncs it, then renames it over (or, exclusive, next to) `path`. */
async function writeAtomically(path: string, content: string, exclusive: boolean): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await chmod(temporary, 0o600);
  try {
    if (exclusive) {
      // link() fails with EEXIST when the target exists, which rename() would silently replace.
      await link(temporary, path);
    } else {
      await rename(temporary, path);
    }
  } finally {
    await rm(temporary, { force: true });
  }
}
