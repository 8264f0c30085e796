// `GET /metrics`: the gateway's metrics in Prometheus text format. Never rate-limited (it is not GraphQL).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GatewayMetrics } from './gateway-metrics.ts';
import { EXPOSITION_CONTENT_TYPE } from './registry.ts';

export const METRICS_PATH = '/metrics';

/** Answers `/metrics`; false for any other path, or when metrics are off, so the next handler gets it. */
export async function handleMetrics(
  req: IncomingMessage,
  res: ServerResponse,
  metrics: GatewayMetrics | undefined,
): Promise<boolean> {
  const path = new URL(req.url ?? '/', 'http://gateway.invalid').pathname;
  if (!metrics || path !== METRICS_PATH) return false;
  const method = (req.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return true;
  }
  const body = metrics.expose();
  res.writeHead(200, {
    'content-type': EXPOSITION_CONTENT_TYPE,
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
  });
  res.end(method === 'HEAD' ? undefined : body);
  return true;
}
