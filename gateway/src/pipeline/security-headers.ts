// Headers every response carries, whichever handler answers it: no MIME sniffing, no referrer leaking to other
// sites, no framing, and HSTS when the request came over https. API answers (GraphQL, REST, routes) also get a CSP
// that allows nothing; pages (the playground, the web app) set their own.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { cameOverHttps } from '../identity/session-cookie.ts';

export const DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
export const HSTS = 'max-age=31536000; includeSubDomains';

export function setSecurityHeaders(req: IncomingMessage, res: ServerResponse, trustProxy: boolean): void {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-frame-options', 'DENY');
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  if (cameOverHttps(req.headers, encrypted, trustProxy)) res.setHeader('strict-transport-security', HSTS);
}

/** For API answers, which are never pages. */
export function setApiPolicy(res: ServerResponse): void {
  res.setHeader('content-security-policy', DEFAULT_CSP);
}
