// Runs an operation against one subgraph's schema as a given viewer, without the gateway: how subgraph tests
// exercise their resolvers against a real database. Errors come back masked exactly as a client sees them.
import { randomUUID } from 'node:crypto';
import { execute, parse, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { maskError } from '../errors.ts';
import type { SubgraphModule, SubgraphRuntime, Viewer } from './module.ts';
import { createSubgraphContext } from './runtime.ts';

export interface ExecutionOutcome<T = Record<string, unknown>> {
  data: T | null | undefined;
  errors: GraphQLFormattedError[] | undefined;
}

export async function executeAs<T = Record<string, unknown>>(
  schema: GraphQLSchema,
  module: SubgraphModule<any>,
  runtime: SubgraphRuntime,
  viewer: Viewer | null,
  query: string,
  variables?: Record<string, unknown>,
  /** The viewer's delegated assertion, as the gateway hands it to the request (for calls to other subgraphs). */
  options: { delegatedIdentity?: string } = {},
): Promise<ExecutionOutcome<T>> {
  const requestId = randomUUID();
  const { delegatedIdentity } = options;
  const contextValue = createSubgraphContext(module, runtime, {
    viewer,
    requestId,
    ...(delegatedIdentity ? { delegatedIdentity } : {}),
  });
  const result = await execute({ schema, document: parse(query), variableValues: variables, contextValue });
  return {
    data: result.data as T | null | undefined,
    errors: result.errors?.map((error) => maskError(error.toJSON(), error, requestId)),
  };
}
