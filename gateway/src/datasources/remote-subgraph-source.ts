// Distributed topology: a subgraph behind its own URL. Each fetch carries the signed identity and request id.
import { randomUUID } from 'node:crypto';
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { DELEGATED_IDENTITY_HEADER, IDENTITY_HEADER, REQUEST_ID_HEADER, type SubgraphName } from '@sting/kit';
import type { GatewayContext } from '../context.ts';
import type { AssertionSigner } from '../identity/assertion-signer.ts';
import type { FetchObserver } from '../topology/endpoint.ts';

export class RemoteSubgraphSource extends RemoteGraphQLDataSource<GatewayContext> {
  readonly #subgraph: SubgraphName;
  readonly #signer: AssertionSigner;
  readonly #observe: FetchObserver | undefined;

  constructor(subgraph: SubgraphName, url: string, signer: AssertionSigner, observe?: FetchObserver) {
    super({ url });
    this.#subgraph = subgraph;
    this.#signer = signer;
    this.#observe = observe;
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
    const delegated = await this.#signer.delegate(this.#subgraph, context.viewer ?? null, requestId);
    if (delegated) headers.set(DELEGATED_IDENTITY_HEADER, delegated);
  }
}
