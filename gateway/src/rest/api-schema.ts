// The API schema (what clients may query) of the committed supergraph: what the OpenAPI document is typed from,
// and what a REST request's enum values are read against (variables.ts).
import { existsSync, readFileSync } from 'node:fs';
import type { GraphQLSchema } from 'graphql';
import { Supergraph } from '@apollo/federation-internals';

export const SUPERGRAPH_FILE = new URL('../../../schema/supergraph.graphql', import.meta.url);

/** The API schema of the supergraph in `file`, or undefined before it is composed. */
export function loadSupergraphApiSchema(file: URL = SUPERGRAPH_FILE): GraphQLSchema | undefined {
  if (!existsSync(file)) return undefined;
  return Supergraph.build(readFileSync(file, 'utf8')).apiSchema().toGraphQLJSSchema();
}

let loaded: { schema: GraphQLSchema | undefined } | undefined;

/** The committed supergraph's API schema, read once (the first REST request or OpenAPI document pays for it). */
export function supergraphApiSchema(): GraphQLSchema | undefined {
  loaded ??= { schema: loadSupergraphApiSchema() };
  return loaded.schema;
}
