// The subgraph host's door for queries: a query text is parsed and validated once and its document reused by the
// requests that follow (the gateway's query plans send the same texts over and over); an invalid query is
// refused every time and never kept.
import { describe, it, expect } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { parse, type OperationDefinitionNode } from 'graphql';
import { createSubgraphHost } from '../src/subgraph/host.ts';
import type { SubgraphModule, SubgraphRuntime } from '../src/subgraph/module.ts';

const seen: OperationDefinitionNode[] = [];
const module = {
  name: 'chat',
  dbSchema: 'chat',
  typeDefs: parse('type Query { echo(text: String!): String! }'),
  resolvers: {
    Query: {
      echo: (
        _: unknown,
        args: { text: string },
        _ctx: unknown,
        info: { operation: OperationDefinitionNode },
      ) => {
        seen.push(info.operation);
        return args.text;
      },
    },
  },
  entities: [],
  migrationsPath: '/nonexistent',
  createLoaders: () => ({}),
} as unknown as SubgraphModule;

const host = createSubgraphHost(module, {} as SubgraphRuntime, generateKeyPairSync('ed25519').publicKey);
const context = {} as never;

describe('subgraph host', () => {
  it('parses and validates a query text once, reusing its document for the requests that follow', async () => {
    const query = 'query ($t: String!) { echo(text: $t) }';
    expect(await host.execute({ query, variables: { t: 'a' } }, context)).toEqual({ data: { echo: 'a' } });
    expect(await host.execute({ query, variables: { t: 'b' } }, context)).toEqual({ data: { echo: 'b' } });
    expect(seen[1]).toBe(seen[0]);
    await host.execute({ query: `${query} `, variables: { t: 'c' } }, context);
    expect(seen[2]).not.toBe(seen[0]);
  });

  it('refuses an invalid or unparsable query every time, keeping nothing of it', async () => {
    for (let i = 0; i < 2; i++) {
      const invalid = await host.execute({ query: '{ echo }' }, context);
      expect(invalid.errors?.[0].message).toMatch(/argument "text"/);
      const unparsable = await host.execute({ query: '{ echo(' }, context);
      expect(unparsable.errors?.[0].message).toMatch(/Syntax Error/);
    }
  });
});
