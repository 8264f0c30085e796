// Cross-site request forgery on writes outside Apollo (REST routes, uploads), with Apollo's csrfPrevention rules:
// a browser may send a "simple" request (form content types, no custom header) cross-site without a preflight, so
// a write must carry a content type a form cannot (application/json, or multipart/form-data where a route takes
// uploads, which then needs the next rule), and a write authenticated by a cookie must come from this origin
// (Origin or Referer) or carry a header a cross-site page cannot set without a preflight.
import type { IncomingHttpHeaders } from 'node:http';
import { BadUserInputError, ForbiddenError } from '@sting/kit/errors.ts';
import type { GatewayContext } from '../context.ts';

export const WRITE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Headers that force a CORS preflight, as Apollo's csrfPrevention accepts them. */
export const CSRF_HEADERS = ['x-csrf-token', 'apollo-require-preflight', 'x-apollo-operation-name'] as const;

export const JSON_ONLY: readonly string[] = ['application/json'];

function mediaType(header: string | undefined): string | undefined {
  return header?.split(';')[0].trim().toLowerCase() || undefined;
}

function accepted(type: string, accepts: readonly string[]): boolean {
  return accepts.some((a) => a === type || (a === 'application/json' && type.endsWith('+json')));
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The request names this host as where it came from (Origin, else Referer). */
export function sameOrigin(headers: IncomingHttpHeaders, trustProxy: boolean): boolean {
  const host = ((trustProxy && first(headers['x-forwarded-host'])?.split(',')[0]) || headers.host)
    ?.trim()
    .toLowerCase();
  const from = first(headers.origin) ?? first(headers.referer);
  if (!host || !from || from === 'null') return false;
  try {
    return new URL(from).host.toLowerCase() === host;
  } catch {
    return false;
  }
}

/**
 * Throws when a write is not safe to serve. `accepts`: the body types the route takes; a write without a body
 * (DELETE) needs none. `cookieAuthenticated`: the viewer came from a cookie the browser attached by itself.
 */
export function checkCsrf(
  method: string,
  headers: IncomingHttpHeaders,
  options: { accepts: readonly string[]; cookieAuthenticated: boolean; trustProxy: boolean },
): void {
  if (!WRITE_METHODS.has(method)) return;
  if (method !== 'DELETE') {
    const type = mediaType(headers['content-type']);
    if (!type || !accepted(type, options.accepts))
      throw new BadUserInputError(`Send the request body as ${options.accepts.join(' or ')}`);
  }
  if (!options.cookieAuthenticated || hasCsrfHeader(headers)) return;
  if (fetchedCrossSite(headers) || !sameOrigin(headers, options.trustProxy)) throw crossSiteError();
}

/** The viewer came from a cookie the browser attached by itself (not a token the client chose to send). */
export function cookieSignedIn(context: Pick<GatewayContext, 'session' | 'viewer'>): boolean {
  return context.session?.source === 'cookie' && context.viewer !== null;
}

function hasCsrfHeader(headers: IncomingHttpHeaders): boolean {
  return CSRF_HEADERS.some((name) => (first(headers[name]) ?? '').trim() !== '');
}

export function crossSiteError(): ForbiddenError {
  return new ForbiddenError(
    'A request signed in by cookie must come from this site (Origin or Referer), or carry an X-CSRF-Token header',
  );
}

/**
 * GraphQL's rule, whatever the operation: a request a cookie signs in that names another site as where it came
 * from (Origin, else Referer; `Origin: null` too, as a sandboxed frame sends it), without a header a cross-site
 * page cannot set. Apollo's csrfPrevention already makes a browser ask first (CORS preflight) before it sends such
 * a request, and the gateway allows no other origin; this refuses it outright as well, as REST writes are. A
 * request that names no origin at all is not a cross-site page's: a browser names it on every cross-origin request.
 */
export function crossSiteCookieRequest(
  headers: IncomingHttpHeaders,
  options: { cookieAuthenticated: boolean; trustProxy: boolean },
): boolean {
  if (!options.cookieAuthenticated || hasCsrfHeader(headers)) return false;
  if (fetchedCrossSite(headers)) return true;
  if (first(headers.origin) === undefined && first(headers.referer) === undefined) return false;
  return !sameOrigin(headers, options.trustProxy);
}

/**
 * The browser says the request came from another site (Sec-Fetch-Site: cross-site), whatever Origin or Referer
 * say or leave out (a Referrer-Policy of no-referrer drops the Referer).
 */
function fetchedCrossSite(headers: IncomingHttpHeaders): boolean {
  return first(headers['sec-fetch-site'])?.trim().toLowerCase() === 'cross-site';
}
