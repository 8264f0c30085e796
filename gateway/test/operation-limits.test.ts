// Operation limits: depth, aliases and root fields measured with fragments expanded (cycles and fragment fan-out
// terminate quickly), and refused as BAD_USER_INPUT through Apollo and through graphql-ws's validate, as are
// graphql-armor's directive and cost limits.
import { describe, it, expect } from '@jest/globals';
import { ApolloServer } from '@apollo/server';
import { buildSchema, Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import {
  measureOperation,
  operationLimitsPlugin,
  validateWithOperationLimits,
} from '../src/plugins/operation-limits.ts';
import type { GatewayContext } from '../src/context.ts';

const typeDefs = `
  type Query { node: Node ping: String }
  type Node { id: ID! child: Node name: String }
  type Subscription { nodeChanged: Node }
`;
const LIMITS = { maxDepth: 4, maxAliases: 3, maxRootFields: 3, maxCost: 20, maxDirectives: 2 };
/** Within depth 4 and costing 23.75 by graphql-armor's count; three directives. */
const COSTLY = '{ node { id name child { id name child { id name } } } }';
const DIRECTED = '{ node @include(if: true) { id @skip(if: false) name @include(if: true) } }';

function shape(source: string) {
  const document = parse(source);
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );
  return measureOperation(operation, fragments);
}

describe('measureOperation', () => {
  it('counts depth, aliases and root fields through fragments and inline fragments', () => {
    expect(
      shape(`{ a: node { ...N } ping b: ping }
        fragment N on Node { id child { ... on Node { c: child { name } } } }`),
    ).toEqual({ depth: 4, aliases: 3, rootFields: 3 });
  });

  it('counts a fragment every time it is spread', () => {
    expect(
      shape(
        '{ node { ...A } } fragment A on Node { x: id y: id child { ...B } } fragment B on Node { z: id }',
      ),
    ).toEqual({
      depth: 3,
      aliases: 3,
      rootFields: 1,
    });
    expect(shape('{ node { ...A child { ...A } } } fragment A on Node { x: id }').aliases).toBe(2);
  });

  it('terminates on fragment cycles', () => {
    const measured = shape(
      '{ node { ...A } } fragment A on Node { child { ...B } } fragment B on Node { child { ...A } }',
    );
    expect(measured.depth).toBe(3);
  });

  it('stays fast when fragments fan out exponentially', () => {
    // 40 levels of a fragment spreading the next twice: 2^40 fields if expanded naively.
    const fragments = Array.from(
      { length: 40 },
      (_, i) => `fragment F${i} on Node { a${i}: id ${i < 39 ? `...F${i + 1} ...F${i + 1}` : ''} }`,
    ).join('\n');
    const measured = shape(`{ node { ...F0 } } ${fragments}`);
    expect(measured.aliases).toBe(2 ** 40 - 1);
  });

  it('does not count introspection fields towards depth', () => {
    expect(
      shape('{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } ping }')
        .depth,
    ).toBe(1);
  });
});

describe('operationLimitsPlugin', () => {
  const server = new ApolloServer<GatewayContext>({
    typeDefs,
    resolvers: { Query: { ping: () => 'pong', node: () => ({ id: '1' }) } },
    plugins: [operationLimitsPlugin(LIMITS)],
  });
  const run = async (query: string) => {
    const response = await server.executeOperation(
      { query },
      { contextValue: { viewer: null, requestId: 'r' } },
    );
    const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
    return { status: response.http.status, result };
  };

  it.each([
    ['{ node { child { child { child { id } } } } }', 'maxDepth'],
    ['{ node { a: id b: id c: id d: id } }', 'maxAliases'],
    ['{ ping ping ping ping }', 'maxRootFields'],
    [COSTLY, 'maxCost'],
    [DIRECTED, 'maxDirectives'],
  ])('refuses %s naming %s', async (query, limit) => {
    const { status, result } = await run(query);
    expect(status).toBe(400);
    expect(result?.data).toBeUndefined();
    expect(result?.errors).toHaveLength(1);
    expect(result?.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result?.errors?.[0].message).toContain(limit);
    // graphql-armor words its refusals as syntax errors; the syntax is fine.
    expect(result?.errors?.[0].message).not.toMatch(/syntax/i);
  });

  it('refuses a costly document again when it is sent again (the check is kept per document)', async () => {
    for (let i = 0; i < 2; i++) {
      const { status, result } = await run(COSTLY);
      expect(status).toBe(400);
      expect(result?.errors?.[0].message).toBe('Query Cost limit of 20 exceeded, found 23.75 (maxCost)');
    }
  });

  it('serves an operation within every limit', async () => {
    const { result } = await run('{ node { child { child { id } } } a: ping b: ping }');
    expect(result?.errors).toBeUndefined();
    expect(result?.data).toEqual({ node: { child: null }, a: 'pong', b: 'pong' });
  });
});

describe('validateWithOperationLimits (graphql-ws)', () => {
  const schema = buildSchema(typeDefs);
  const validate = validateWithOperationLimits(LIMITS);

  it('refuses a subscription beyond the limits', () => {
    const errors = validate(
      schema,
      parse('subscription { nodeChanged { child { child { child { child { id } } } } } }'),
    );
    expect(errors).toHaveLength(1);
    expect(errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(errors[0].message).toContain('maxDepth');
  });

  it('reports the schema rules first (a fragment cycle is a validation error, not a limit)', () => {
    const errors = validate(
      schema,
      parse('{ node { ...A } } fragment A on Node { child { ...B } } fragment B on Node { child { ...A } }'),
    );
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.extensions.code !== 'BAD_USER_INPUT')).toBe(true);
  });

  it.each([
    [COSTLY.replace('{ node', 'subscription { nodeChanged'), 'maxCost'],
    [DIRECTED.replace('{ node', 'subscription { nodeChanged'), 'maxDirectives'],
  ])('refuses %s naming %s', (query, limit) => {
    const errors = validate(schema, parse(query));
    expect(errors).toHaveLength(1);
    expect(errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(errors[0].message).toContain(limit);
    expect(errors[0].message).not.toMatch(/syntax/i);
  });

  it('accepts an operation within the limits', () => {
    expect(validate(schema, parse('subscription { nodeChanged { id } }'))).toEqual([]);
  });
});
