// `GET /metrics`: the gateway's metrics in Prometheus text format. Never rate-limited (it is not GraphQL); when a
// token is configured (`gateway.metrics.token`) it needs `Authorization: Bearer <token>`.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayMetrics } from './gateway-metrics.ts';
import { bearerToken } from '../identity/session-token.ts';

export const METRICS_PATH = '/metrics';

function tokenMatches(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from(bearerToken(req.headers.authorization) ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Answers `/metrics`; false for any other path, or when metrics are off, so the next handler gets it. */
export async function handleMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  metrics: GatewayMetrics | undefined,
  token?: string | null,
): Promise<boolean> {
  const path = new URL(req.url ?? '/', 'http://gateway.invalid').pathname;
  if (!metrics || path !== METRICS_PATH) return false;
  const method = (req.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return true;
  }
  if (token && !tokenMatches(req, token)) {
    res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"', 'cache-control': 'no-store' }).end();
    return true;
  }
  const body = await metrics.expose();
  res.writeHead(200, {
    'content-type': metrics.contentType,
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
  });
  res.end(method === 'HEAD' ? undefined : body);
  return true;
}
