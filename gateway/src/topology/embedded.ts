// Embedded topology: every subgraph runs in the gateway's process; fetches and subscriptions call its host
// directly, after the same assertion round trip a remote subgraph would make.
import { maskError } from '@sting/kit/errors.ts';
import type { SubgraphHost } from '@sting/kit/subgraph/host.ts';
import { inSpan } from '@sting/kit/tracing/index.ts';
import type { ExecutionResult } from 'graphql';
import { LocalSubgraphSource } from '../datasources/local-subgraph-source.ts';
import type { AssertionSigner } from '../identity/assertion-signer.ts';
import { eventStream } from '../subscriptions/event-stream.ts';
import { isEventStream, type FetchObserver, type SubgraphEndpoint } from './endpoint.ts';

const masked = (result: ExecutionResult): ExecutionResult =>
  result.errors
    ? {
        ...result,
        errors: result.errors.map((e) => maskError(e.toJSON(), e)) as unknown as ExecutionResult['errors'],
      }
    : result;

export function embeddedEndpoint(
  host: SubgraphHost,
  signer: AssertionSigner,
  observe?: FetchObserver,
): SubgraphEndpoint {
  let open = 0;
  return {
    name: host.name,
    dataSource: new LocalSubgraphSource(host, signer, observe),
    async subscribe(request, context) {
      const assertion = await signer.sign(host.name, context.viewer, context.requestId);
      const identity = await host.identify(assertion);
      // As on a query, the subgraph may ask others on the person's behalf (chat checks an answer's citations with
      // knowledge at each event): the subscription holds that assertion, renewed while it is open.
      const delegatedIdentity = await signer.delegate(host.name, context.viewer, context.requestId);
      const subgraphContext = host.contextFor(
        { ...identity, ...(delegatedIdentity ? { delegatedIdentity } : {}) },
        context.requestId,
      );
      // The same span a subgraph service makes for a subscription that names a trace.
      const result = await inSpan(
        `subgraph ${host.name}`,
        async () => host.subscribe(request, subgraphContext),
        { attributes: { 'sting.subgraph': host.name }, onlyInTrace: true },
      );
      if (!isEventStream(result)) return masked(result);
      open++;
      const stopRenewing = delegatedIdentity
        ? signer.renewDelegation(host.name, context.viewer, context.requestId, (token) => {
            subgraphContext.delegatedIdentity = token;
          })
        : undefined;
      return eventStream(result, {
        map: masked,
        onClose: () => {
          open--;
          stopRenewing?.();
        },
      });
    },
    openSubscriptions: () => open,
  };
}
