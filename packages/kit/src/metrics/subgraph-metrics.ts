// `GET /metrics` of a subgraph running as its own service: the process's default metrics (CPU, memory, heap,
// event-loop lag) and the platform metrics this process counted (platform-metrics.ts), in the Prometheus text
// format. Behind `Authorization: Bearer <token>` when the platform's metrics token is set.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { platformMetricsText } from './platform-metrics.ts';

export class SubgraphMetrics {
  readonly registry = new Registry();

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  async expose(): Promise<string> {
    return (await this.registry.metrics()) + (await platformMetricsText());
  }

  /** Answers the request for /metrics (405 for other methods, 401 without the token when one is set). */
  async serve(req: IncomingMessage, res: ServerResponse, token?: string | null): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && method !== 'HEAD') return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
    if (token && !bearerMatches(req.headers.authorization, token))
      return void res.writeHead(401, { 'www-authenticate': 'Bearer realm="metrics"' }).end();
    const body = await this.expose();
    res.writeHead(200, { 'content-type': this.registry.contentType, 'cache-control': 'no-store' });
    res.end(method === 'HEAD' ? undefined : body);
  }
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(/^Bearer\s+(.+)$/i.exec(header ?? '')?.[1]?.trim() ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
