// GraphQL over HTTP into Apollo, with stage 2 before Apollo sees the request: a cookie from another site is
// refused, the body is read under its size limit and the query text's tokens and nesting are counted before
// anything parses it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import {
  BodyTooLargeError,
  headerMapOf,
  bodyErrorMessage,
  readJsonBody,
  sendJson,
  writeApolloResponse,
} from '@sting/kit/subgraph/http-bridge.ts';
import type { GatewayContext } from '../context.ts';
import { documentLimitError, type DocumentLimits } from './document-limits.ts';
import { allowCredentialFreeGet } from '../graphql-over-http.ts';
import { cookieSignedIn, crossSiteCookieRequest, crossSiteError } from './csrf.ts';

function queryOf(body: unknown, url: URL): unknown {
  if (body && typeof body === 'object' && !Array.isArray(body)) return (body as { query?: unknown }).query;
  return url.searchParams.get('query') ?? undefined;
}

export async function serveGraphqlHttp(
  apollo: ApolloServer<GatewayContext>,
  req: IncomingMessage,
  res: ServerResponse,
  context: GatewayContext,
  options: { bodyLimitBytes: number; limits: DocumentLimits; trustProxy: boolean },
): Promise<void> {
  const requestId = context.requestId;
  const refuse = (status: number, message: string, code: string) =>
    sendJson(
      res,
      status,
      { errors: [{ message, extensions: { code, requestId } }] },
      { 'x-request-id': requestId },
    );
  // A cookie speaks for the viewer only from this site (csrf.ts), whatever the operation.
  if (
    crossSiteCookieRequest(req.headers, {
      cookieAuthenticated: cookieSignedIn(context),
      trustProxy: options.trustProxy,
    })
  ) {
    const refused = crossSiteError();
    return refuse(refused.httpStatus, refused.message, refused.code);
  }
  let body: unknown;
  try {
    body = req.method === 'POST' ? await readJsonBody(req, options.bodyLimitBytes) : undefined;
  } catch (err) {
    return refuse(err instanceof BodyTooLargeError ? 413 : 400, bodyErrorMessage(err), 'BAD_REQUEST');
  }
  const url = new URL(req.url ?? '/', 'http://gateway.invalid');
  const query = queryOf(body, url);
  if (typeof query === 'string') {
    const refused = documentLimitError(query, options.limits);
    if (refused) return refuse(400, refused.message, String(refused.extensions.code));
  }
  const headers = headerMapOf(req);
  allowCredentialFreeGet(req.method, headers);
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
    context: async () => context,
  });
  await writeApolloResponse(res, response);
}
