// Which address a request came from, for per-client limits: the socket's peer, or the first hop a trusted
// proxy recorded in `x-forwarded-for` (never believed otherwise: any client can send that header).
import type { IncomingHttpHeaders } from 'node:http';

export function clientAddress(
  headers: IncomingHttpHeaders,
  remoteAddress: string | undefined,
  trustProxy: boolean,
): string {
  if (trustProxy) {
    const forwarded = headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return remoteAddress ?? 'unknown';
}
