// Embedded topology: a subgraph in the gateway's process. The assertion is still signed and verified on every
// fetch, so the subgraph sees exactly what it would see over HTTP.
import { randomUUID } from 'node:crypto';
import { LocalGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayGraphQLResponse } from '@apollo/server-gateway-interface';
import { maskError } from '@sting/kit/errors.ts';
import type { SubgraphHost } from '@sting/kit/subgraph/host.ts';
import { countSubgraphRequest } from '@sting/kit/metrics/platform-metrics.ts';
import { activeSpan, inSpan } from '@sting/kit/tracing/index.ts';
import type { GatewayContext } from '../context.ts';
import type { AssertionSigner } from '../identity/assertion-signer.ts';
import type { FetchObserver } from '../topology/endpoint.ts';

export class LocalSubgraphSource extends LocalGraphQLDataSource<GatewayContext> {
  readonly #host: SubgraphHost;
  readonly #signer: AssertionSigner;
  readonly #observe: FetchObserver | undefined;

  constructor(host: SubgraphHost, signer: AssertionSigner, observe?: FetchObserver) {
    super(host.schema);
    this.#host = host;
    this.#signer = signer;
    this.#observe = observe;
  }

  /**
   * The subgraph's work in a span of its own, counted as the subgraph's own front door would count it. Under
   * Apollo's fetch span, in the same process, the fetch is the subgraph's work from start to end, so the two are one
   * span: the fetch span, named as the subgraph's own span is in the distributed topology. The gateway's own calls
   * (a session's viewer, the audit log) get a span of their own, as before.
   */
  override async process(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<GatewayGraphQLResponse> {
    const started = performance.now();
    const name = `subgraph ${this.#host.name}`;
    const attributes = { 'sting.subgraph': this.#host.name };
    const fetch = activeSpan();
    let response: GatewayGraphQLResponse;
    if (fetch?.isRecording() && (fetch as { name?: string }).name === 'gateway.fetch') {
      fetch.updateName(name);
      fetch.setAttributes(attributes);
      response = await this.#execute(options);
    } else response = await inSpan(name, () => this.#execute(options), { attributes });
    countSubgraphRequest(this.#host.name, (performance.now() - started) / 1000, !!response.errors?.length);
    return response;
  }

  async #execute(options: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<GatewayGraphQLResponse> {
    const { query = '', variables, operationName } = options.request;
    const request = { query, variables, operationName };
    this.#observe?.(this.#host.name, request);
    // Health checks and schema loads carry no request context: they run anonymously.
    const context = options.context as Partial<GatewayContext>;
    const requestId = context.requestId ?? randomUUID();
    const assertion = await this.#signer.sign(this.#host.name, context.viewer ?? null, requestId);
    let identity;
    try {
      identity = await this.#host.identify(assertion);
    } catch (err) {
      return { errors: [maskError({ message: (err as Error).message }, err)] };
    }
    const delegatedIdentity = await this.#signer.delegate(this.#host.name, context.viewer ?? null, requestId);
    const result = await this.#host.execute(
      request,
      this.#host.contextFor(
        {
          ...identity,
          ...(delegatedIdentity ? { delegatedIdentity } : {}),
          client: { address: context.clientAddress, userAgent: context.userAgent },
        },
        requestId,
      ),
    );
    return {
      data: result.data as Record<string, unknown> | null | undefined,
      errors: result.errors?.map((error) => maskError(error.toJSON(), error)),
    };
  }
}
