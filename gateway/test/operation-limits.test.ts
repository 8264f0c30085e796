// Operation limits: depth, aliases, root fields and cost measured with fragments expanded (cycles and fragment
// fan-out terminate quickly; an operation costs what its fragment-inlined form costs by graphql-armor's count), and
// refused as BAD_USER_INPUT through Apollo and through graphql-ws's validate, as is graphql-armor's directive limit.
import { describe, it, expect } from '@jest/globals';
import { ApolloServer } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  buildSchema,
  Kind,
  parse,
  validate,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import {
  measureOperation,
  operationLimitsPlugin,
  validateWithOperationLimits,
} from '../src/plugins/operation-limits.ts';
import type { GatewayContext } from '../src/context.ts';

const typeDefs = `
  type Query { node: Node ping: String nodes(first: Int, last: Int): [Node!]! }
  type Node { id: ID! child: Node name: String }
  type Subscription { nodeChanged: Node }
`;
const LIMITS = { maxDepth: 4, maxAliases: 3, maxRootFields: 3, maxCost: 20, maxDirectives: 2 };
/** Within depth 4 and costing 23.75 by graphql-armor's count; three directives. */
const COSTLY = '{ node { id name child { id name child { id name } } } }';
const DIRECTED = '{ node @include(if: true) { id @skip(if: false) name @include(if: true) } }';

/** `selection` wrapped in `levels` fragments, each spreading the next, as clients that colocate fragments do. */
function nested(on: string, selection: string, levels: number): { spread: string; fragments: string } {
  const fragments = Array.from(
    { length: levels },
    (_, i) => `fragment F${i} on ${on} { ${i === 0 ? selection : `...F${i - 1}`} }`,
  );
  return { spread: `...F${levels - 1}`, fragments: fragments.join('\n') };
}
/** Each fragment spreads the next twice: 2^29 copies of `id` when inlined. */
const FAN_OUT = `{ node { ...B0 } } ${Array.from(
  { length: 30 },
  (_, i) => `fragment B${i} on Node { ${i < 29 ? `...B${i + 1} ...B${i + 1}` : 'id'} }`,
).join('\n')}`;

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
    ).toMatchObject({ depth: 4, aliases: 3, rootFields: 3 });
  });

  it('counts a fragment every time it is spread', () => {
    expect(
      shape(
        '{ node { ...A } } fragment A on Node { x: id y: id child { ...B } } fragment B on Node { z: id }',
      ),
    ).toMatchObject({
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

  it("costs what the operation's fragment-inlined form costs by graphql-armor's count", () => {
    // graphql-armor's cost of documents without fragments, which it counts as intended.
    const armorCost = (source: string) => {
      const off = { enabled: false };
      const rules = new ApolloArmor({
        blockFieldSuggestion: off,
        maxTokens: off,
        maxDepth: off,
        maxAliases: off,
        maxDirectives: off,
        costLimit: { maxCost: 0 },
      }).protect().validationRules as Parameters<typeof validate>[2];
      const [error] = validate(buildSchema(typeDefs), parse(source), rules);
      return Number(/found (\S+?)\.?$/.exec(error.message)?.[1]);
    };
    for (const inline of [
      COSTLY,
      '{ ping node { id } }',
      '{ nodes(first: 5) { id child { name } } }',
      '{ nodes(last: 3) { child { child { id } } } ping }',
    ])
      expect(shape(inline).cost).toBe(armorCost(inline));
    expect(shape(COSTLY).cost).toBe(23.75);

    // The same selections through named, nested and inline fragments cost the same.
    const chain = nested('Node', 'id name child { id name child { id name } }', 20);
    expect(shape(`{ node { ${chain.spread} } } ${chain.fragments}`).cost).toBe(shape(COSTLY).cost);
    const atRoot = nested('Query', 'node { id name child { id name child { id name } } }', 20);
    expect(shape(`{ ${atRoot.spread} } ${atRoot.fragments}`).cost).toBe(shape(COSTLY).cost);
    expect(
      shape(
        '{ ... on Query { node { ... on Node { id name child { ...C } } } } } ' +
          'fragment C on Node { id name child { id name } }',
      ).cost,
    ).toBe(shape(COSTLY).cost);
    expect(shape('{ nodes(first: 5) { ...N } } fragment N on Node { id child { name } }').cost).toBe(
      armorCost('{ nodes(first: 5) { id child { name } } }'),
    );
  });

  it('costs fragment fan-out as what it expands to, quickly', () => {
    const started = Date.now();
    // 2^29 ids, each 1 × 1.5, and a node around them.
    expect(shape(FAN_OUT).cost).toBe(2 + 1.5 * 2 ** 29);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('costs a page its list refuses (past pagesRefusedAbove) as that error, and any other page as armor does', () => {
    const paged = '{ nodes(first: 1000) { id child { id } } }';
    expect(shape(paged).cost).toBe(1000 * (2 + 1.5 * (1 + (2 + 1.5 * 1))));
    const operation = parse(paged).definitions[0] as OperationDefinitionNode;
    expect(measureOperation(operation, new Map(), 500).cost).toBe(1);
    expect(measureOperation(operation, new Map(), 1000).cost).toBe(shape(paged).cost);
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

  it('serves 20 nested fragments around a cheap selection, and refuses fragment fan-out by its cost', async () => {
    const chain = nested('Query', 'node { id } ping', 20);
    const { result } = await run(`{ ${chain.spread} } ${chain.fragments}`);
    expect(result?.errors).toBeUndefined();
    expect(result?.data).toEqual({ node: { id: '1' }, ping: 'pong' });
    const bomb = await run(FAN_OUT);
    expect(bomb.status).toBe(400);
    expect(bomb.result?.errors?.[0].message).toBe(
      `Query Cost limit of 20 exceeded, found ${2 + 1.5 * 2 ** 29} (maxCost)`,
    );
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

  it('costs fragments as Apollo does: 20 nested ones pass, fan-out is refused', () => {
    const chain = nested('Node', 'id name', 20);
    expect(
      validate(schema, parse(`subscription { nodeChanged { ${chain.spread} } } ${chain.fragments}`)),
    ).toEqual([]);
    const errors = validate(schema, parse(FAN_OUT.replace('{ node', 'subscription { nodeChanged')));
    expect(errors.map((e) => [e.message, e.extensions.code])).toEqual([
      [`Query Cost limit of 20 exceeded, found ${2 + 1.5 * 2 ** 29} (maxCost)`, 'BAD_USER_INPUT'],
    ]);
  });
});
