// VaultSecrets through the real node-vault client, against a small HTTP server speaking the KV v2 wire format
// (GET / POST /v1/<mount>/data/<path>, X-Vault-Token), which is all this provider uses of Vault.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { VaultSecrets } from '../src/secrets/vault-secrets.ts';

const TOKEN = 'hvs.test-token-for-kv';
const store = new Map<string, Record<string, unknown>>([
  ['sting/db', { password: 'db-pass-from-vault', port: 5432 }],
]);
const seenTokens: string[] = [];
let server: Server;
let address: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    seenTokens.push(String(req.headers['x-vault-token']));
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers['x-vault-token'] !== TOKEN) return reply(403, { errors: ['permission denied'] });
    const match = /^\/v1\/secret\/data\/(.+)$/.exec(req.url ?? '');
    if (!match) return reply(404, { errors: [] });
    const path = match[1];
    if (req.method === 'GET') {
      const data = store.get(path);
      return data ? reply(200, { data: { data, metadata: { version: 1 } } }) : reply(404, { errors: [] });
    }
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      store.set(path, (JSON.parse(body) as { data: Record<string, unknown> }).data);
      reply(200, { data: { version: 2 } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  address = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('VaultSecrets', () => {
  it('reads vault:PATH#KEY from KV v2 with the token and remembers the values', async () => {
    const vault = new VaultSecrets({ address, token: TOKEN });
    expect(await vault.get('vault:sting/db#password')).toBe('db-pass-from-vault');
    expect(await vault.get('vault:sting/db#port')).toBe('5432');
    expect(seenTokens.at(-1)).toBe(TOKEN);
    expect(vault.knownValues()).toEqual(expect.arrayContaining([TOKEN, 'db-pass-from-vault', '5432']));
  });

  it('names what is missing', async () => {
    const vault = new VaultSecrets({ address, token: TOKEN });
    await expect(vault.get('vault:sting/db#absent')).rejects.toMatchObject({
      missing: true,
      message: 'Vault secret secret/sting/db has no key "absent"',
    });
    await expect(vault.get('vault:sting/nothing#x')).rejects.toMatchObject({ missing: true });
    await expect(vault.get('vault:sting/db')).rejects.toThrow(/vault:PATH#KEY/);
  });

  it('reports a refused token without repeating it', async () => {
    const vault = new VaultSecrets({ address, token: 'hvs.wrong' });
    const err = (await vault.get('vault:sting/db#password').catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/Vault read of secret\/sting\/db failed: HTTP 403/);
    expect(err.message).not.toContain('hvs.wrong');
  });

  it('writes a key, keeping the other keys of the secret', async () => {
    const vault = new VaultSecrets({ address, token: TOKEN });
    await vault.set('sting/db#user', 'sting_app');
    expect(store.get('sting/db')).toEqual({ password: 'db-pass-from-vault', port: 5432, user: 'sting_app' });
    await vault.set('sting/new#key', 'fresh-value');
    expect(await vault.get('vault:sting/new#key')).toBe('fresh-value');
  });
});
