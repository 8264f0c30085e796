// A subgraph as the outside world reaches it: its schema plus the one door every request goes through, which
// verifies the gateway's identity assertion and builds the request context. Both topologies use it.
import { randomUUID, type KeyObject } from 'node:crypto';
import {
  execute,
  getOperationAST,
  parse,
  subscribe,
  validate,
  GraphQLError,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { UnauthenticatedError } from '../errors.ts';
import { verifyAssertion, type VerifiedIdentity } from '../identity/assertion.ts';
import type { SubgraphContext, SubgraphModule, SubgraphRuntime } from './module.ts';
import { buildSubgraph, createSubgraphContext } from './runtime.ts';

export interface SubgraphRequest {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
}

export interface SubgraphHost {
  name: SubgraphModule['name'];
  schema: GraphQLSchema;
  /**
   * Verifies `assertion`; throws UNAUTHENTICATED when it is absent or invalid. The gateway signs one for every
   * request, anonymous people included, so a request without one did not come through the gateway.
   */
  identify(assertion: string | undefined | null): Promise<VerifiedIdentity>;
  /** A fresh request context (forked entity manager, new loaders) for a verified identity. */
  contextFor(identity: VerifiedIdentity, requestId?: string): SubgraphContext;
  /** Runs a query or mutation for an already verified context. */
  execute(request: SubgraphRequest, context: SubgraphContext): Promise<ExecutionResult>;
  /** Starts a subscription; resolves to an event stream, or to a single result carrying the errors. */
  subscribe(
    request: SubgraphRequest,
    context: SubgraphContext,
  ): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult>;
}

/** Documents kept per subgraph, and the query text they may hold in all. */
const DOCUMENT_CACHE_ENTRIES = 1000;
const DOCUMENT_CACHE_CHARS = 8_000_000;

export function createSubgraphHost(
  module: SubgraphModule<any>,
  runtime: SubgraphRuntime,
  verificationKey: KeyObject,
): SubgraphHost {
  const schema = buildSubgraph(module);
  // Parsed and validated documents by query text. A subgraph's requests are the gateway's query plans' fetches
  // (and peers' calls): a bounded set of texts, each parsed and validated once instead of per request. A
  // document is never changed by execution; only valid ones are kept.
  const documents = new LRUCache<string, DocumentNode>({
    max: DOCUMENT_CACHE_ENTRIES,
    maxSize: DOCUMENT_CACHE_CHARS,
    sizeCalculation: (_document, query) => query.length || 1,
  });

  function prepare(request: SubgraphRequest) {
    const cached = documents.get(request.query);
    if (cached) return { document: cached };
    let document;
    try {
      document = parse(request.query);
    } catch (err) {
      return { errors: [err as GraphQLError] };
    }
    const errors = validate(schema, document);
    if (errors.length) return { errors };
    documents.set(request.query, document);
    return { document };
  }

  return {
    name: module.name,
    schema,
    async identify(assertion) {
      // Otherwise a subgraph's port would be a second front door, with no rate limit (login), introspection
      // and `_service { sdl }` (the @inaccessible fields) open to whoever reaches it.
      if (!assertion) throw new UnauthenticatedError('Identity assertion required');
      return verifyAssertion(verificationKey, assertion, module.name);
    },
    contextFor(identity, requestId) {
      return createSubgraphContext(module, runtime, {
        viewer: identity.viewer,
        requestId: requestId ?? identity.requestId ?? randomUUID(),
        delegatedIdentity: identity.delegatedIdentity,
        ...(identity.client ? { client: identity.client } : {}),
        ...(identity.readOnly ? { readOnly: true } : {}),
      });
    },
    async execute(request, contextValue) {
      const prepared = prepare(request);
      if (!prepared.document) return { errors: prepared.errors };
      const refused = refusedWrite(prepared.document, request.operationName, contextValue);
      if (refused) return { errors: [refused] };
      return execute({
        schema,
        document: prepared.document,
        variableValues: request.variables ?? undefined,
        operationName: request.operationName ?? undefined,
        contextValue,
      });
    },
    async subscribe(request, contextValue) {
      const prepared = prepare(request);
      if (!prepared.document) return { errors: prepared.errors };
      const refused = refusedWrite(prepared.document, request.operationName, contextValue);
      if (refused) return { errors: [refused] };
      return subscribe({
        schema,
        document: prepared.document,
        variableValues: request.variables ?? undefined,
        operationName: request.operationName ?? undefined,
        contextValue,
      });
    },
  };
}

/**
 * A subgraph asking on a person's behalf holds a read-only assertion (the gateway's DELEGATIONS): it may look
 * things up as that person, never change anything or listen in. So only a query runs for it, through every door
 * (this host, and serve.ts's HTTP and graphql-ws).
 */
export function refusedWrite(
  document: DocumentNode,
  operationName: string | null | undefined,
  context: Pick<SubgraphContext, 'readOnly'> | undefined,
): GraphQLError | undefined {
  if (!context?.readOnly) return undefined;
  if (getOperationAST(document, operationName ?? undefined)?.operation === 'query') return undefined;
  return new GraphQLError('An identity delegated to another subgraph may only read', {
    extensions: { code: 'FORBIDDEN' },
  });
}
