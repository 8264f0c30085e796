// Distributed topology: a subgraph behind its own URL. Each fetch carries the signed identity and request id; a
// subgraph that cannot be reached (crashed, restarting) answers SERVICE_UNAVAILABLE for its own fields only.
import { randomUUID } from 'node:crypto';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { GraphQLError } from 'graphql';
import { encodeClientInfo } from '@sting/kit/identity/assertion.ts';
import {
  DELEGATED_IDENTITY_HEADER,
  IDENTITY_HEADER,
  REQUEST_ID_HEADER,
  CLIENT_HEADER,
} from '@sting/kit/identity/headers.ts';
import { ServiceUnavailableError } from '@sting/kit/errors.ts';
import type { SubgraphName } from '@sting/kit/subgraph/names.ts';
import { injectTraceContext } from '@sting/kit/tracing/index.ts';
import type { GatewayContext } from '../context.ts';
import type { AssertionSigner } from '../identity/assertion-signer.ts';
import type { FetchObserver } from '../topology/endpoint.ts';
import { FetchingSource } from './fetching-source.ts';

export class RemoteSubgraphSource extends FetchingSource {
  readonly #subgraph: SubgraphName;
  readonly #signer: AssertionSigner;
  readonly #observe: FetchObserver | undefined;

  constructor(subgraph: SubgraphName, url: string, signer: AssertionSigner, observe?: FetchObserver) {
    super(url);
    this.#subgraph = subgraph;
    this.#signer = signer;
    this.#observe = observe;
  }

  /**
   * A fetch that fails below HTTP (connection refused or reset while the subgraph restarts) becomes an error
   * result, so the gateway answers the other subgraphs' fields and nulls only this one's, never the whole request.
   */
  override async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    try {
      return await super.process(options);
    } catch (error) {
      if (error instanceof GraphQLError) throw error; // an HTTP answer: the subgraph spoke
      const unavailable = new ServiceUnavailableError(this.#subgraph);
      return {
        errors: [
          new GraphQLError(unavailable.message, {
            originalError: unavailable,
            extensions: { code: unavailable.code, service: this.#subgraph },
          }),
        ],
      };
    }
  }

  override async willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const { query = '', variables, operationName } = options.request;
    this.#observe?.(this.#subgraph, { query, variables, operationName });
    const context = options.context as Partial<GatewayContext>;
    const requestId = context.requestId ?? randomUUID();
    const headers = options.request.http?.headers;
    if (!headers) return;
    headers.set(IDENTITY_HEADER, await this.#signer.sign(this.#subgraph, context.viewer ?? null, requestId));
    headers.set(REQUEST_ID_HEADER, requestId);
    if (context.clientAddress || context.userAgent)
      headers.set(
        CLIENT_HEADER,
        encodeClientInfo({ address: context.clientAddress, userAgent: context.userAgent }),
      );
    const delegated = await this.#signer.delegate(this.#subgraph, context.viewer ?? null, requestId);
    if (delegated) headers.set(DELEGATED_IDENTITY_HEADER, delegated);
    // W3C traceparent of this fetch's span (Apollo's gateway.fetch), so the subgraph's spans join the trace.
    for (const [name, value] of Object.entries(injectTraceContext({} as Record<string, string>)))
      headers.set(name, value);
  }
}
