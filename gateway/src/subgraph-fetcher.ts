// How the gateway POSTs to subgraphs over HTTP (generic mode and the distributed topology): undici connection pools
// kept alive per origin, in place of Apollo's default make-fetch-happen, whose agent selection builds an Error and
// reads its stack on every request (the peer benchmark's profile: a third of the gateway's fetch cost). Answers
// what RemoteGraphQLDataSource reads of a fetch Response: ok, status, statusText, url, headers.get, json(), text().
import { Agent, request } from 'undici';

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
  /** A subgraph that has not answered in this long fails the fetch. */
  timeoutMs?: number;
}

class Headers {
  readonly #values: Record<string, string | string[] | undefined>;
  constructor(values: Record<string, string | string[] | undefined>) {
    this.#values = values;
  }
  get(name: string): string | null {
    const value = this.#values[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }
}

export function subgraphFetcher(options: SubgraphFetcherOptions = {}): SubgraphFetcher {
  const dispatcher = new Agent({
    connections: options.connections ?? 128,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 4_000,
    headersTimeout: options.timeoutMs ?? 30_000,
    bodyTimeout: options.timeoutMs ?? 30_000,
  });
  return async (url, init = {}) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Symbol.iterator in (init.headers ?? {})
      ? (init.headers as Iterable<[string, string]>)
      : Object.entries(init.headers ?? {}))
      headers[name.toLowerCase()] = value;
    const response = await request(url, {
      dispatcher,
      method: (init.method ?? 'POST') as 'POST',
      headers,
      body: init.body,
    });
    let text: Promise<string> | undefined;
    const read = () => (text ??= response.body.text());
    return {
      ok: response.statusCode >= 200 && response.statusCode < 300,
      status: response.statusCode,
      statusText: String(response.statusCode),
      url,
      headers: new Headers(response.headers),
      json: async () => JSON.parse(await read()) as unknown,
      text: read,
    };
  };
}

/** One pool set for the process: every data source shares its connections. */
export const defaultSubgraphFetcher: SubgraphFetcher = subgraphFetcher();
