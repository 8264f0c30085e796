// How the gateway POSTs to subgraphs over HTTP (generic mode and the distributed topology): node:http keep-alive
// pools per origin, in place of Apollo's default make-fetch-happen, whose agent selection builds an Error and reads
// its stack on every request (the peer benchmark's profile: a third of the gateway's fetch cost). Answers what
// RemoteGraphQLDataSource reads of a fetch Response: ok, status, statusText, url, headers.get, json(), text().
// node:http rather than undici: the same CPU per request in the peer benchmark, but undici's request objects outlive
// young-generation collections about twice as often (promoted ~21 KB per gateway request against ~12 KB), which
// grew the old generation under load, and undici's own modules cost some 5 MB of heap at start.
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface SubgraphResponse {
  ok: boolean;
  status: number;
  statusText: string;
  url: string;
  headers: { get(name: string): string | null };
  json(): Promise<unknown>;
  text(): Promise<string>;
}

export interface SubgraphRequestInit {
  method?: string;
  headers?: Record<string, string> | Iterable<[string, string]>;
  body?: string;
}

export type SubgraphFetcher = (url: string, init?: SubgraphRequestInit) => Promise<SubgraphResponse>;

export interface SubgraphFetcherOptions {
  /** Connections kept per subgraph origin. */
  connections?: number;
  /** Idle connections are closed after this long (subgraph servers close theirs after 5 s by default). */
  keepAliveTimeoutMs?: number;
  /** A subgraph that has not answered (or gone quiet mid-answer) for this long fails the fetch. */
  timeoutMs?: number;
}

class Headers {
  readonly #values: IncomingHttpHeaders;
  constructor(values: IncomingHttpHeaders) {
    this.#values = values;
  }
  get(name: string): string | null {
    const value = this.#values[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }
}

/** Where a subgraph URL points, as node:http's request options take it. */
interface Target {
  https: boolean;
  hostname: string;
  port: string;
  path: string;
}

/** Subgraph URLs are few and fixed (a supergraph's join__Graph entries): each is parsed once. */
const MAX_TARGETS = 256;

export function subgraphFetcher(options: SubgraphFetcherOptions = {}): SubgraphFetcher {
  // `timeout` on the agent is how long an idle pooled connection is kept; a request sets its own below.
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.connections ?? 128,
    timeout: options.keepAliveTimeoutMs ?? 4_000,
  };
  const agents = { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) };
  const timeout = options.timeoutMs ?? 30_000;
  const targets = new Map<string, Target>();
  const targetOf = (url: string): Target => {
    let target = targets.get(url);
    if (!target) {
      const parsed = new URL(url);
      target = {
        https: parsed.protocol === 'https:',
        // node:http takes an IPv6 address without the URL's brackets.
        hostname: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: parsed.port,
        path: parsed.pathname + parsed.search,
      };
      if (targets.size >= MAX_TARGETS) targets.clear();
      targets.set(url, target);
    }
    return target;
  };
  return (url, init = {}) =>
    new Promise((resolve, reject) => {
      const target = targetOf(url);
      const headers: Record<string, string> = {};
      for (const [name, value] of Symbol.iterator in (init.headers ?? {})
        ? (init.headers as Iterable<[string, string]>)
        : Object.entries(init.headers ?? {}))
        headers[name.toLowerCase()] = value;
      if (init.body !== undefined) headers['content-length'] = String(Buffer.byteLength(init.body));
      const req = (target.https ? httpsRequest : httpRequest)(
        {
          agent: target.https ? agents.https : agents.http,
          hostname: target.hostname,
          port: target.port,
          path: target.path,
          method: init.method ?? 'POST',
          headers,
          timeout,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            chunks.push(chunk);
            size += chunk.length;
          });
          res.on('error', reject);
          res.on('end', () => {
            const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
            let text: string | undefined;
            const read = () => (text ??= bytes.toString('utf8'));
            const status = res.statusCode ?? 0;
            resolve({
              ok: status >= 200 && status < 300,
              status,
              statusText: res.statusMessage || String(status),
              url,
              headers: new Headers(res.headers),
              json: async () => JSON.parse(read()) as unknown,
              text: async () => read(),
            });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${timeout} ms`)));
      req.on('error', reject);
      req.end(init.body);
    });
}

/** One pool set for the process: every data source shares its connections. */
export const defaultSubgraphFetcher: SubgraphFetcher = subgraphFetcher();
