// The `sting_session` cookie as the gateway writes it: HttpOnly so page scripts never see the token, SameSite=Lax
// against cross-site posts, Secure whenever the browser reached us over https (directly, or through a trusted
// proxy) and always in the production profile.
import type { IncomingHttpHeaders } from 'node:http';
import { SESSION_COOKIE } from './session-token.ts';

/**
 * True when the request came over https: a TLS socket, or `X-Forwarded-Proto: https` from the proxy in front. The
 * header counts only with `gateway.trustProxy`: without a proxy, it is whatever the client chose to send.
 */
export function cameOverHttps(
  headers: IncomingHttpHeaders,
  encrypted: boolean,
  trustProxy: boolean,
): boolean {
  if (encrypted) return true;
  if (!trustProxy) return false;
  const forwarded = headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https';
}

function attributes(maxAgeSeconds: number, secure: boolean): string {
  return `Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

export function sessionCookie(token: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(token)}; ${attributes(Math.max(0, Math.floor(maxAgeSeconds)), secure)}`;
}

/** Tells the browser to drop its session cookie (signed out, or the session it names no longer exists). */
export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; ${attributes(0, secure)}`;
}
