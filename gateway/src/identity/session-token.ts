// Where a caller's session token may travel: `Authorization: Bearer`, the `sting_session` cookie, or the
// graphql-ws `connection_init` payload (`{ authorization: 'Bearer …' }` or `{ token }`).
import type { IncomingHttpHeaders } from 'node:http';

export const SESSION_COOKIE = 'sting_session';

function bearer(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return match?.[1];
}

function cookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw) || undefined;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

export function sessionTokenFromHeaders(headers: IncomingHttpHeaders): string | undefined {
  return bearer(headers.authorization) ?? cookie(headers.cookie, SESSION_COOKIE);
}

export function sessionTokenFromConnectionParams(
  params: Readonly<Record<string, unknown>> | undefined,
): string | undefined {
  if (!params) return undefined;
  const authorization = params.authorization ?? params.Authorization;
  if (authorization) return bearer(authorization);
  return typeof params.token === 'string' && params.token ? params.token : undefined;
}
