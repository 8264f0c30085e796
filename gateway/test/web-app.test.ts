// The web app's static serving: immutable hashed assets, index.html for page navigations only, nothing outside
// the build folder whatever the path says, and nothing for the gateway's own routes.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handleWebApp } from '../src/web-app/index.ts';

let root: string;
let server: Server;
let base: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sting-web-'));
  const dist = join(root, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>STING</title>');
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.txt'), 'not for the web');
  server = createServer(async (req, res) => {
    if (!(await handleWebApp(req, res, { enabled: true, dir: dist }))) {
      res.writeHead(404).end('router 404');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

const html = { accept: 'text/html,application/xhtml+xml' };

describe('handleWebApp', () => {
  it('serves hashed assets for a year, immutable, with their content type', async () => {
    const response = await fetch(`${base}/assets/index-abc123.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers page navigations to client routes with index.html, never cached, under a strict CSP', async () => {
    for (const path of ['/', '/jars/123', '/bee/abc?x=1']) {
      const response = await fetch(`${base}${path}`, { headers: html });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<title>STING</title>');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
    const head = await fetch(`${base}/jars`, { method: 'HEAD', headers: html });
    expect(head.status).toBe(200);
  });

  it('leaves API clients, other methods, missing files and the gateway routes to the router', async () => {
    expect((await fetch(`${base}/jars/123`)).status).toBe(404);
    expect((await fetch(`${base}/jars`, { method: 'POST', headers: html })).status).toBe(404);
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${base}/favicon.ico`, { headers: html })).status).toBe(404);
    for (const path of ['/graphql', '/api/v1/honey-pots', '/playground', '/healthz', '/readyz', '/metrics'])
      expect((await fetch(`${base}${path}`, { headers: html })).status).toBe(404);
  });

  it('never serves a file outside the build folder, however the path is spelled', async () => {
    for (const path of [
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/assets/%00index-abc123.js',
      '/assets/%E0%A4%A',
    ]) {
      const response = await fetch(`${base}${path}`, { headers: html });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('not for the web');
    }
  });
});
