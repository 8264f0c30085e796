// Generic mode's answer to "who is calling": no STING session provider (a foreign supergraph has no identity
// subgraph to ask), so a bearer token or cookie is never looked up; the configured headers are passed on to the
// subgraphs as they came, and each subgraph decides what they are worth.
import type { IncomingHttpHeaders } from 'node:http';
import type { SessionProvider } from '../identity/session-provider.ts';

/** Default `forwardHeaders`: the bearer token travels, cookies stay with the gateway unless configured. */
export const DEFAULT_FORWARD_HEADERS: readonly string[] = ['authorization'];

/** Every caller is anonymous to the gateway itself: no lookup, no cookie of its own, never a 401 or a 500. */
export const noSessionProvider: SessionProvider = {
  fromHeaders: () => undefined,
  fromConnectionParams: () => undefined,
  lookup: async () => null,
  ownsSessionCookie: false,
};

/** Header names a subgraph must never get from a caller: they describe the gateway's own connection. */
const HOP_BY_HOP = new Set([
  'connection',
  'content-length',
  'content-type',
  'host',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'sec-websocket-key',
  'sec-websocket-version',
  'sec-websocket-extensions',
  'sec-websocket-protocol',
]);

/** Lower-cased, without hop-by-hop names (a config mistake must not corrupt the subgraph request). */
export function normalizeForwardHeaders(names: readonly string[]): string[] {
  return [...new Set(names.map((name) => name.trim().toLowerCase()))].filter(
    (name) => name && !HOP_BY_HOP.has(name),
  );
}

/** The configured headers of an HTTP request (or a graphql-ws upgrade). */
export function forwardedFromHeaders(
  headers: IncomingHttpHeaders,
  names: readonly string[],
): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = headers[name];
    if (typeof value === 'string') picked[name] = value;
    else if (Array.isArray(value)) picked[name] = value.join(', ');
  }
  return picked;
}

/**
 * The same for graphql-ws, where browsers cannot set headers: `connection_init` entries with a configured name
 * (any case) win over the upgrade request's headers.
 */
export function forwardedFromConnection(
  headers: IncomingHttpHeaders,
  params: Readonly<Record<string, unknown>> | undefined,
  names: readonly string[],
): Record<string, string> {
  const picked = forwardedFromHeaders(headers, names);
  for (const [key, value] of Object.entries(params ?? {})) {
    const name = key.toLowerCase();
    if (typeof value === 'string' && names.includes(name)) picked[name] = value;
  }
  return picked;
}
