// The playground: GraphiQL served offline from bundled assets, at /playground and at /graphql for browsers,
// and absent when disabled.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { handlePlayground } from '../src/playground/index.ts';
import { ensurePlaygroundBuilt } from '../scripts/playground-bundle.ts';
import { serve } from './serve.ts';

const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
let on: Awaited<ReturnType<typeof serve>>;
let off: Awaited<ReturnType<typeof serve>>;

/** Ways a page or script could pull code or styles from another origin. */
const REMOTE_LOADS = [
  /\bimport\s*\(\s*["'`]https?:/,
  /\bfrom\s*["'`]https?:/,
  /\bimportScripts\s*\(\s*["'`]https?:/,
  /\bnew\s+Worker\s*\(\s*["'`]https?:/,
  /url\(\s*["']?https?:/,
  /@import\s+["']?(url\()?["']?https?:/,
  /\b(src|href)\s*=\s*["']?https?:/,
  /(esm\.sh|unpkg\.com|jsdelivr\.net|cdnjs\.cloudflare\.com|fonts\.googleapis\.com|fonts\.gstatic\.com)/,
];

beforeAll(async () => {
  await ensurePlaygroundBuilt();
  on = await serve((req, res) => handlePlayground(req, res, { enabled: true, endpoint: '/graphql' }));
  off = await serve((req, res) => handlePlayground(req, res, { enabled: false, endpoint: '/graphql' }));
}, 120_000);
afterAll(async () => {
  await on.close();
  await off.close();
});

function referencedAssets(page: string): string[] {
  return [...page.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
}

describe('playground', () => {
  it('serves the GraphiQL page at /playground with only same-origin references', async () => {
    const res = await fetch(`${on.url}/playground`, { headers: html });
    const page = await res.text();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page).toContain('id="playground"');
    expect(page).toContain('data-endpoint="/graphql"');
    expect(page).not.toMatch(/https?:\/\//);
    const assets = referencedAssets(page);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) expect(asset).toMatch(/^\/playground\/assets\//);
  });

  it('serves every referenced asset and the Monaco workers, none loading from another origin', async () => {
    const page = await (await fetch(`${on.url}/playground`)).text();
    const script = referencedAssets(page).find((a) => a.includes('playground.js'))!;
    const files = [
      ...referencedAssets(page),
      ...['editor', 'json', 'graphql'].map((w) => `/playground/assets/${w}.worker.js`),
    ];
    for (const file of files) {
      const res = await fetch(on.url + file);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(
        file.includes('.css') ? /text\/css/ : /text\/javascript/,
      );
      const text = await res.text();
      for (const pattern of REMOTE_LOADS)
        expect({ file, match: pattern.exec(text)?.[0] }).toEqual({ file, match: undefined });
    }
    const js = await (await fetch(on.url + script)).text();
    expect(js).toContain('graphql-transport-ws'); // graphql-ws is bundled for subscriptions
    expect(js).toContain('json.worker.js');
  });

  it('answers GET /graphql with the page only when the browser asks for HTML', async () => {
    const browser = await fetch(`${on.url}/graphql`, { headers: html });
    expect(browser.status).toBe(200);
    expect(await browser.text()).toContain('id="playground"');
    const client = await fetch(`${on.url}/graphql?query={__typename}`, {
      headers: { accept: 'application/json' },
    });
    expect(client.status).toBe(418);
    const post = await fetch(`${on.url}/graphql`, { method: 'POST', headers: html, body: '{}' });
    expect(post.status).toBe(418);
  });

  it('defaults the endpoint to /graphql and escapes a configured one', async () => {
    const custom = await serve((req, res) =>
      handlePlayground(req, res, { enabled: true, endpoint: '/api/"graph"' }),
    );
    const plain = await serve((req, res) => handlePlayground(req, res, { enabled: true }));
    try {
      const page = await (await fetch(`${custom.url}/playground`)).text();
      expect(page).toContain('data-endpoint="/api/&#34;graph&#34;"');
      expect((await fetch(`${plain.url}/graphql`, { headers: html })).status).toBe(200);
    } finally {
      await custom.close();
      await plain.close();
    }
  });

  it('revalidates assets by ETag', async () => {
    const first = await fetch(`${on.url}/playground/assets/playground.css`);
    const etag = first.headers.get('etag')!;
    expect(etag).toBeTruthy();
    const again = await fetch(`${on.url}/playground/assets/playground.css`, {
      headers: { 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
  });

  it('serves nothing outside the bundle', async () => {
    for (const path of [
      '/playground/assets/manifest.json',
      '/playground/assets/..%2Fbundle.ts',
      '/playground/assets/nope.js',
    ]) {
      expect((await fetch(on.url + path)).status).toBe(404);
    }
  });

  it('is 404 when disabled, and leaves /graphql to the GraphQL server', async () => {
    expect((await fetch(`${off.url}/playground`, { headers: html })).status).toBe(404);
    expect((await fetch(`${off.url}/playground/assets/playground.js`)).status).toBe(404);
    expect((await fetch(`${off.url}/graphql`, { headers: html })).status).toBe(418);
  });

  it('rebuilds a bundle whose fingerprint is stale', async () => {
    const dir = pathToFileURL(`${await mkdtemp(`${tmpdir()}/playground-`)}/out/`);
    try {
      const fresh = await ensurePlaygroundBuilt(dir);
      expect(fresh.files).toContain('playground.js');
      expect((await ensurePlaygroundBuilt(dir)).builtAt).toBe(fresh.builtAt);
      const manifestFile = new URL('manifest.json', dir);
      const stale = {
        ...JSON.parse(await readFile(manifestFile, 'utf8')),
        fingerprint: 'from-older-packages',
      };
      await writeFile(manifestFile, JSON.stringify(stale));
      const rebuilt = await ensurePlaygroundBuilt(dir);
      expect(rebuilt.fingerprint).toBe(fresh.fingerprint);
      expect(rebuilt.builtAt).not.toBe(fresh.builtAt);
    } finally {
      await rm(new URL('..', dir), { recursive: true, force: true });
    }
  }, 120_000);
});
