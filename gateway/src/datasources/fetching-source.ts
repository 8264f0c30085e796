// The base of the gateway's HTTP data sources (generic mode's and the distributed topology's): Apollo's
// RemoteGraphQLDataSource fetching through subgraph-fetcher.ts, and sending without the node-fetch Request that
// Apollo builds of every fetch.
import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GatewayGraphQLRequest, GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import type { GatewayContext } from '../context.ts';
import { defaultSubgraphFetcher } from '../subgraph-fetcher.ts';

export class FetchingSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(url: string) {
    // Apollo's Fetcher type names node-fetch's classes; ours answers the part of them the data source reads.
    super({ url, fetcher: defaultSubgraphFetcher as never });
  }
}

type RequestHeaders = NonNullable<GatewayGraphQLRequest['http']>['headers'];

/** The outgoing headers as a plain object, from node-fetch's own record when it is one (process() makes it so). */
function headersOf(headers: RequestHeaders): Record<string, string> {
  const raw = (headers as { raw?: () => Record<string, string[]> }).raw?.();
  if (!raw) return Object.fromEntries(headers);
  const plain: Record<string, string> = {};
  for (const name of Object.keys(raw)) plain[name.toLowerCase()] = raw[name].join(', ');
  return plain;
}

/**
 * RemoteGraphQLDataSource's sendRequest, less the node-fetch Request it makes of every fetch only to hand it to
 * parseBody and didEncounterError, which read nothing of it: that Request parsed the URL with url.parse, copied the
 * headers through node-fetch's iterator (which sorts them again at every step) and copied the body into a Buffer,
 * some twentieth of the generic gateway's CPU per request. Everything else is as in @apollo/gateway.
 */
async function sendRequest(
  this: FetchingSource,
  request: GatewayGraphQLRequest,
  context: GatewayContext,
): Promise<GatewayGraphQLResponse> {
  const { http, ...requestWithoutHttp } = request;
  if (!http) throw new Error("Internal error: Only 'http' requests are supported.");
  let response: Awaited<ReturnType<FetchingSource['fetcher']>> | undefined;
  try {
    response = await this.fetcher(http.url, {
      method: http.method,
      headers: headersOf(http.headers),
      body: JSON.stringify(requestWithoutHttp),
    });
    if (!response.ok) throw await this.errorFromResponse(response);
    const body = await this.parseBody(response, undefined, context);
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new Error(`Expected JSON response body, but received: ${String(body)}`);
    return { ...body, http: response };
  } catch (error) {
    this.didEncounterError(error as Error, undefined as never, response, context, request);
    throw error;
  }
}

// Private in Apollo's type declarations, so it cannot be overridden in the class body; Apollo calls it as
// `this.sendRequest`, which finds this one first.
Object.defineProperty(FetchingSource.prototype, 'sendRequest', {
  value: sendRequest,
  writable: true,
  configurable: true,
});
