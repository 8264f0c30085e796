// Serves GraphiQL at /playground, and at the GraphQL endpoint itself when a browser asks for HTML; on in
// development, off (404) in production. The assets were bundled from npm by the build step
// (gateway/scripts/build-playground.ts): nothing comes from a CDN, and nothing is compiled at runtime.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { PLAYGROUND_OUT_DIR, readManifest, type PlaygroundManifest } from './assets.ts';
import { ASSETS_PATH, PLAYGROUND_CSP, PLAYGROUND_PATH, playgroundHtml } from './page.ts';

export { PLAYGROUND_OUT_DIR } from './assets.ts';
export { PLAYGROUND_PATH } from './page.ts';

export interface PlaygroundOptions {
  enabled: boolean;
  /** Where GraphiQL sends operations (default `/graphql`); subscriptions use the same path over WebSocket. */
  endpoint?: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

function acceptsHtml(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').toLowerCase().includes('text/html');
}

function notFound(res: ServerResponse) {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
}

let manifest: PlaygroundManifest | undefined;

/** The built bundle's manifest (read once found); 503 when the build step has not run. */
async function built(res: ServerResponse): Promise<PlaygroundManifest | undefined> {
  manifest ??= await readManifest();
  if (manifest) return manifest;
  res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5' });
  res.end('The playground is not built: run `npm run build:playground` (npm start does it)');
  return undefined;
}

async function sendPage(res: ServerResponse, endpoint: string, head: boolean) {
  const manifest = await built(res);
  if (!manifest) return;
  const html = playgroundHtml(endpoint, manifest.fingerprint);
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(html)),
    'cache-control': 'no-store',
    'content-security-policy': PLAYGROUND_CSP,
    'x-content-type-options': 'nosniff',
  });
  res.end(head ? undefined : html);
}

async function sendAsset(req: IncomingMessage, res: ServerResponse, name: string, head: boolean) {
  const manifest = await built(res);
  if (!manifest) return;
  // Only files the build listed are served, which also rules out any path outside the bundle directory.
  if (name === 'manifest.json' || !manifest.files.includes(name)) return notFound(res);
  const etag = `"${manifest.fingerprint}-${name}"`;
  const headers = {
    etag,
    'cache-control': 'public, max-age=0, must-revalidate',
    'x-content-type-options': 'nosniff',
  };
  if (req.headers['if-none-match'] === etag) return void res.writeHead(304, headers).end();
  const body = await readFile(new URL(name, PLAYGROUND_OUT_DIR));
  res.writeHead(200, {
    ...headers,
    'content-type': CONTENT_TYPES[extname(name)] ?? 'application/octet-stream',
    'content-length': String(body.length),
  });
  res.end(head ? undefined : body);
}

/** Answers playground requests; false when the request is not one, so the router (and /graphql) moves on. */
export async function handlePlayground(
  req: IncomingMessage,
  res: ServerResponse,
  opts: PlaygroundOptions,
): Promise<boolean> {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') return false;
  const head = method === 'HEAD';
  const pathname = new URL(req.url ?? '/', 'http://gateway.invalid').pathname;
  const endpoint = opts.endpoint ?? '/graphql';
  const endpointPath = new URL(endpoint, 'http://gateway.invalid').pathname;

  if (pathname === endpointPath) {
    if (!opts.enabled || !acceptsHtml(req)) return false; // a GraphQL GET request, or no playground: not ours
    await sendPage(res, endpoint, head);
    return true;
  }
  const isPage = pathname === PLAYGROUND_PATH || pathname === `${PLAYGROUND_PATH}/`;
  const isAsset = pathname.startsWith(ASSETS_PATH);
  if (!isPage && !isAsset) return false;
  if (!opts.enabled) notFound(res);
  else if (isPage) await sendPage(res, endpoint, head);
  else await sendAsset(req, res, pathname.slice(ASSETS_PATH.length), head);
  return true;
}
