// Serves the built web app (web/dist) at `/`: hashed assets under /assets with a year-long immutable cache, and
// index.html (never cached) for every other page navigation (Accept: text/html) the gateway has no route for, so
// client routes such as /jars/<id> load the app. Paths are resolved inside the build folder only.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream';
import { fileURLToPath } from 'node:url';

export const defaultWebAppDir = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Everything the app loads comes from this origin; graphql-ws connects back to it. */
const appCsp =
  "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
  "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/** Paths owned by the gateway itself: never answered with the app. */
const reserved = /^\/(graphql|api|playground|healthz|readyz|metrics)(\/|$)/;

async function fileIn(dir: string, path: string): Promise<string | undefined> {
  const target = normalize(join(dir, decodeURIComponent(path)));
  if (!target.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return undefined;
  const info = await stat(target).catch(() => undefined);
  return info?.isFile() ? target : undefined;
}

/** Answers the request when it is for the web app; false lets the router go on. */
export async function handleWebApp(
  req: IncomingMessage,
  res: ServerResponse,
  options: { dir?: string; enabled: boolean },
): Promise<boolean> {
  if (!options.enabled || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  const dir = options.dir ?? defaultWebAppDir;
  let path: string;
  try {
    path = new URL(req.url ?? '/', 'http://gateway.invalid').pathname;
    decodeURIComponent(path);
  } catch {
    return false;
  }
  if (reserved.test(path) || path.includes('\0')) return false;
  const asset = path.startsWith('/assets/') ? await fileIn(dir, path) : undefined;
  if (path.startsWith('/assets/') && !asset) return false;
  if (!asset) {
    // Only a page navigation gets the app; an API client asking for a path that does not exist gets the 404
    // error shape, and so does a missing file with an extension.
    const accept = String(req.headers.accept ?? '');
    if (!accept.includes('text/html') || (extname(path) && path !== '/index.html')) return false;
  }
  const file = asset ?? (await fileIn(dir, 'index.html'));
  if (!file) return false;
  res.writeHead(200, {
    'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
    'cache-control': asset ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
    ...(asset ? {} : { 'content-security-policy': appCsp, 'referrer-policy': 'same-origin' }),
  });
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  // A file that fails to read (replaced by a new build mid-response) ends this response, not the process.
  pipeline(createReadStream(file), res, (err) => {
    if (err) res.destroy();
  });
  return true;
}
