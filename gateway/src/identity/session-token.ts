// Where a caller's session token may travel: `Authorization: Bearer`, the `sting_session` cookie, or the
// graphql-ws `connection_init` payload (`{ authorization: 'Bearer …' }` or `{ token }`). Where it came from
// matters: a token the client sends on purpose must be valid, a cookie may simply be stale.
import type { IncomingHttpHeaders } from 'node:http';
import { parseCookie } from 'cookie';
import { sameOrigin } from '../pipeline/csrf.ts';

export const SESSION_COOKIE = 'sting_session';

export interface PresentedSession {
  token: string;
  /** `bearer` covers every explicit form (header or connection_init); `cookie` is the browser's. */
  source: 'bearer' | 'cookie';
}

/**
 * A credential the caller sent on purpose but in no form we read (`Authorization: Basic …`, `Bearer a b c`, an empty
 * Bearer, an X-API-Key that is not a key): it names no session, so authentication answers it 401 like an unknown
 * token, without a lookup, on every front door (graphql-ws included), instead of letting the caller in anonymous.
 */
export const MALFORMED_CREDENTIALS: PresentedSession = Object.freeze({ token: '', source: 'bearer' });

/** The token of an `Authorization: Bearer …` value. */
export function bearerToken(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return match?.[1];
}

/** The decoded value of one cookie in a `Cookie` header, parsed by the `cookie` package. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  return parseCookie(header)[name] || undefined;
}

export function sessionFromHeaders(headers: IncomingHttpHeaders): PresentedSession | undefined {
  const fromBearer = bearerToken(headers.authorization);
  if (fromBearer) return { token: fromBearer, source: 'bearer' };
  const fromCookie = cookieValue(headers.cookie, SESSION_COOKIE);
  return fromCookie ? { token: fromCookie, source: 'cookie' } : undefined;
}

export function sessionFromConnectionParams(
  params: Readonly<Record<string, unknown>> | undefined,
): PresentedSession | undefined {
  if (!params) return undefined;
  const authorization = params.authorization ?? params.Authorization;
  const token = authorization
    ? bearerToken(authorization)
    : typeof params.token === 'string' && params.token
      ? params.token
      : undefined;
  return token ? { token, source: 'bearer' } : undefined;
}

/**
 * The session of a browser's socket: its upgrade request carries the cookie, since page scripts never hold the
 * token. A cookie counts only when the page that opened the socket is on this site, because any site can open a
 * socket here and the browser may attach the cookie (cross-site WebSocket hijacking).
 */
export function browserSocketSession(
  presented: PresentedSession | undefined,
  headers: IncomingHttpHeaders,
  trustProxy: boolean,
): PresentedSession | undefined {
  if (presented?.source === 'cookie' && !sameOrigin(headers, trustProxy)) return undefined;
  return presented;
}
