// Subgraph checks: over HTTP for the distributed topology (`GET <origin>/healthz`), or in-process by asking a
// hosted schema for `__typename` when the embedded launcher hands its schemas over.
import { execute, parse, type GraphQLSchema } from 'graphql';
import type { Probe } from '../probe.ts';

export function httpSubgraphProbe(name: string, graphqlUrl: string): Probe {
  const healthz = new URL('/healthz', new URL(graphqlUrl).origin).toString();
  return {
    name,
    kind: 'SUBGRAPH',
    async check(signal) {
      const response = await fetch(healthz, { signal, headers: { accept: 'application/json' } });
      await response.body?.cancel();
      return { up: response.ok, detail: `GET ${healthz} answered ${response.status}` };
    },
  };
}

const TYPENAME = parse('{ __typename }');

export function schemaSubgraphProbe(name: string, schema: GraphQLSchema): Probe {
  return {
    name,
    kind: 'SUBGRAPH',
    async check() {
      const result = await execute({ schema, document: TYPENAME });
      if (result.errors?.length) return { up: false, detail: result.errors[0].message };
      return { up: true, detail: 'schema answered' };
    },
  };
}
