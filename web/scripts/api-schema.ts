// graphql-codegen schema loader: the API schema clients of the gateway see, derived from the supergraph.
import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';

export default function loadApiSchema(path: string): GraphQLSchema {
  return Supergraph.build(readFileSync(path, 'utf8')).apiSchema().toGraphQLJSSchema();
}
