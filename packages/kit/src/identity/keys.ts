// The gateway's identity-assertion key pair (ES256, P-256): created once under `security.keysDir`, the private
// half readable by its owner only. Subgraphs load just the public half.
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const PRIVATE_KEY_FILE = 'assertion-signing.pem';
export const PUBLIC_KEY_FILE = 'assertion-verify.pem';

export interface SigningKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Loads the pair from `keysDir`, generating it on first start. */
export async function loadOrCreateSigningKeys(keysDir: string): Promise<SigningKeys> {
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  const privatePath = join(keysDir, PRIVATE_KEY_FILE);
  let pem = await readIfPresent(privatePath);
  if (!pem) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const fresh = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    try {
      // `wx`: when several processes start together, exactly one key wins and the others read it.
      await writeFile(privatePath, fresh, { mode: 0o600, flag: 'wx' });
      pem = fresh;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      pem = await waitForContent(privatePath);
    }
  }
  const privateKey = createPrivateKey(pem);
  const publicKey = createPublicKey(privateKey);
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
  if ((await readIfPresent(join(keysDir, PUBLIC_KEY_FILE))) !== publicPem) {
    await writeFile(join(keysDir, PUBLIC_KEY_FILE), publicPem, { mode: 0o600 });
  }
  return { privateKey, publicKey };
}

async function waitForContent(path: string): Promise<string> {
  // The winning process may not have flushed yet; a PEM is complete once its END line is there.
  for (let attempt = 0; attempt < 50; attempt++) {
    const text = await readIfPresent(path);
    if (text?.includes('-----END')) return text;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`identity signing key ${path} exists but stays empty`);
}

/** The verification key for a subgraph: a PEM string, or the file written by the gateway in `keysDir`. */
export async function loadVerificationKey(source: { pem: string } | { keysDir: string }): Promise<KeyObject> {
  if ('pem' in source) return createPublicKey(source.pem);
  const pem = await readIfPresent(join(source.keysDir, PUBLIC_KEY_FILE));
  if (pem) return createPublicKey(pem);
  // Subgraphs on the gateway's host may start first: derive from the shared private key when only it exists.
  return (await loadOrCreateSigningKeys(source.keysDir)).publicKey;
}
