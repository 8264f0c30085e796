// How much an operation may ask for: each field counted once per object it can appear in, page sizes (literal,
// variable, the variable's or the argument's default) multiplying what is under them, a page's `nodes` counted
// by its page size once; refused past maxResultSize as BAD_USER_INPUT through Apollo (graphql-ws applies the same
// check), while every operation the web app and the REST routes send stays far within it.
import { describe, it, expect } from '@jest/globals';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApolloServer } from '@apollo/server';
import {
  buildSchema,
  getOperationAST,
  Kind,
  parse,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { fragmentsOf } from '@sting/kit/graphql/root-fields.ts';
import { maskError } from '@sting/kit/errors.ts';
import { MAX_PAGE_SIZE, pageSize } from '@sting/kit/keyset-cursor.ts';
import {
  operationLimitsPlugin,
  resultSizeViolation,
  type OperationLimits,
} from '../src/plugins/operation-limits.ts';
import { ASSUMED_LIST, DEFAULT_PAGE, estimatedResultSize } from '../src/plugins/result-size.ts';
import { PROTECTION_DEFAULTS } from '../src/protection.ts';
import { loadSupergraphApiSchema } from '../src/rest/openapi.ts';
import type { GatewayContext } from '../src/context.ts';

const typeDefs = `
  type Query {
    jars(first: Int = 20, after: String): JarPage!
    jar(id: ID!): Jar
    search(query: String!, first: Int = 10): [Hit!]!
    items(limit: Int): [Hit!]!
  }
  type JarPage { nodes: [Jar!]! pageInfo: PageInfo! }
  type PageInfo { hasNextPage: Boolean! endCursor: String }
  type Jar { id: ID! name: String! tags: [String!]! documents(first: Int = 50, after: String): DocumentPage! }
  type DocumentPage { nodes: [Document!]! totalCount: Int! }
  type Document { id: ID! title: String! chunks(first: Int = 20): ChunkPage! }
  type ChunkPage { nodes: [Chunk!]! }
  type Chunk { id: ID! text: String! }
  union Hit = Document | Chunk
`;
const schema = buildSchema(typeDefs);

function parts(source: string) {
  const document = parse(source);
  return { operation: getOperationAST(document)!, fragments: fragmentsOf(document) };
}

const size = (source: string, variables: Record<string, unknown> = {}) => {
  const { operation, fragments } = parts(source);
  return estimatedResultSize(schema, operation, fragments, variables);
};

describe('estimatedResultSize', () => {
  it('counts a singular object and its fields once', () => {
    expect(size('{ jar(id: "1") { id name } }')).toBe(3);
  });

  it("multiplies by the page a field asks for, or its argument's default, and counts the page's nodes once", () => {
    // jars (1), its page's 20 nodes with an id each (2 fields apiece); pageInfo once.
    expect(size('{ jars(first: 20) { nodes { id } } }')).toBe(1 + 20 * 2);
    expect(size('{ jars { nodes { id } } }')).toBe(size('{ jars(first: 20) { nodes { id } } }'));
    expect(size('{ jars(first: 5) { nodes { id } pageInfo { hasNextPage } } }')).toBe(1 + 5 * 2 + 2);
    // Nested pages multiply: 2 jars x 3 documents x 4 chunks.
    expect(
      size(
        '{ jars(first: 2) { nodes { documents(first: 3) { nodes { chunks(first: 4) { nodes { text } } } } } } }',
      ),
    ).toBe(1 + 2 * (1 + (1 + 3 * (1 + (1 + 4 * 2)))));
  });

  it('takes page sizes from variables and from the operation’s variable defaults', () => {
    const query = 'query ($n: Int) { jars(first: $n) { nodes { id } } }';
    expect(size(query, { n: 7 })).toBe(1 + 7 * 2);
    const { operation, fragments } = parts('query ($n: Int = 9) { jars(first: $n) { nodes { id } } }');
    expect(
      resultSizeViolation(
        schema,
        operation,
        fragments,
        {},
        { maxDepth: 9, maxAliases: 9, maxRootFields: 9, maxResultSize: 18 },
      ),
    ).toMatch(/about 19 fields, more than the limit of 18 \(maxResultSize\)/);
  });

  it('assumes lists without a page argument hold a few items, and paged fields without any size a default page', () => {
    expect(size('{ jar(id: "1") { tags } }')).toBe(1 + ASSUMED_LIST);
    expect(size('{ items { ... on Chunk { text } } }')).toBe(DEFAULT_PAGE * 2);
  });

  it('expands fragments and inline fragments, measuring each fragment once', () => {
    const spread = size(`{ jars(first: 10) { nodes { ...J } } }
      fragment J on Jar { id documents(first: 10) { nodes { ... on Document { title } } } }`);
    expect(spread).toBe(1 + 10 * (1 + (1 + (1 + 10 * 2))));
    // A fragment spread at every level of a deep tree stays quick to measure.
    const levels = Array.from(
      { length: 12 },
      (_, i) => `fragment F${i} on Jar { id ${i < 11 ? `...F${i + 1} ...F${i + 1}` : ''} }`,
    );
    const started = Date.now();
    expect(size(`{ jar(id: "1") { ...F0 } } ${levels.join(' ')}`)).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('maxResultSize through Apollo', () => {
  const server = new ApolloServer<GatewayContext>({
    typeDefs,
    resolvers: {
      Query: {
        jars: () => ({ nodes: [{ id: '1', name: 'a', tags: [] }], pageInfo: { hasNextPage: false } }),
      },
      Jar: { documents: () => ({ nodes: [], totalCount: 0 }) },
      Hit: { __resolveType: () => 'Document' },
    },
    plugins: [
      operationLimitsPlugin({ maxDepth: 12, maxAliases: 30, maxRootFields: 20, maxResultSize: 100_000 }),
    ],
  });
  const run = async (query: string, variables?: Record<string, unknown>) => {
    const response = await server.executeOperation(
      { query, variables },
      { contextValue: { viewer: null, requestId: 'r' } },
    );
    const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
    return { status: response.http.status, result };
  };

  it('refuses pages of pages that would answer millions of fields, before anything runs', async () => {
    const query = `query ($jars: Int, $docs: Int) { jars(first: $jars) { nodes { documents(first: $docs) {
      nodes { chunks(first: 100) { nodes { text } } } } } } }`;
    const { status, result } = await run(query, { jars: 100, docs: 200 });
    expect(status).toBe(400);
    expect(result?.data).toBeUndefined();
    expect(result?.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(result?.errors?.[0].message).toMatch(
      /^The operation could return about 4,040,201 fields, more than the limit of 100,000 \(maxResultSize\): ask for smaller pages$/,
    );
    // Smaller pages of the same query are served.
    const small = await run(query, { jars: 10, docs: 10 });
    expect(small.result?.errors).toBeUndefined();
    expect(small.result?.data).toEqual({ jars: { nodes: [{ documents: { nodes: [] } }] } });
  });
});

describe('a page its own list refuses', () => {
  // The resolvers check their pages as every STING list does, with kit's pageSize: search 1 to 50, jars 1 to 100.
  const serve = (limits: OperationLimits) =>
    new ApolloServer<GatewayContext>({
      typeDefs,
      resolvers: {
        Query: {
          search: (_: unknown, args: { first?: number }) => {
            pageSize(args.first, { default: 10, max: 50 });
            return [];
          },
          jars: (_: unknown, args: { first?: number }) => {
            pageSize(args.first, { default: 20, max: 100 });
            return { nodes: [], pageInfo: { hasNextPage: false } };
          },
        },
        Hit: { __resolveType: () => 'Document' },
      },
      plugins: [operationLimitsPlugin(limits)],
      // As a subgraph answers kit's errors: BAD_USER_INPUT, the argument named.
      formatError: maskError,
    });
  const limits = { maxDepth: 12, maxAliases: 30, maxRootFields: 20, maxResultSize: 100_000 };
  const sting = serve({ ...limits, pagesRefusedAbove: MAX_PAGE_SIZE });
  const message = async (
    server: ApolloServer<GatewayContext>,
    query: string,
    variables?: Record<string, unknown>,
  ) => {
    const response = await server.executeOperation(
      { query, variables },
      { contextValue: { viewer: null, requestId: 'r' } },
    );
    const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
    return result?.errors?.map((e) => [e.message, e.extensions?.code]);
  };
  const HITS = '{ ... on Document { title chunks(first: 100) { nodes { text } } } }';
  // Pages from variables: graphql-armor's cost counts literal ones, and this is about the result's size.
  const JARS = `query ($n: Int, $d: Int = 200, $c: Int = 100) { jars(first: $n) { nodes {
    documents(first: $d) { nodes { chunks(first: $c) { nodes { text } } } } } } }`;

  it("answers the list's error naming its argument, for a literal page or a variable's, at any depth", async () => {
    const search = ['first must be between 1 and 50', 'BAD_USER_INPUT'];
    expect(await message(sting, `{ search(query: "x", first: 1000000) ${HITS} }`)).toEqual([search]);
    const variable = `query ($n: Int) { search(query: "x", first: $n) ${HITS} }`;
    expect(await message(sting, variable, { n: 1_000_000 })).toEqual([search]);
    expect(await message(sting, variable, { n: -1_000_000 })).toEqual([search]);
    expect(await message(sting, JARS, { n: 1_000_000 })).toEqual([
      ['first must be between 1 and 100', 'BAD_USER_INPUT'],
    ]);
  });

  it('still refuses pages every list serves that together answer too much', async () => {
    const [[refused]] = (await message(sting, JARS, { n: 100 }))!;
    expect(refused).toMatch(/\(maxResultSize\)/);
  });

  it('counts every page as asked where no list is known to refuse any (a foreign supergraph)', async () => {
    const [[refused]] = (await message(serve(limits), JARS, { n: 1_000_000 }))!;
    expect(refused).toMatch(/\(maxResultSize\)/);
  });
});

describe("the platform's own operations", () => {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return name === 'gql' ? [] : sources(path);
      return /\.tsx?$/.test(name) && !name.includes('.test.') ? [path] : [];
    });

  it('stay within maxResultSize with every page at 200, the largest most lists accept', () => {
    const supergraph = loadSupergraphApiSchema()!;
    const operations: OperationDefinitionNode[] = [];
    const fragments = new Map<string, FragmentDefinitionNode>();
    const take = (text: string) => {
      for (const definition of parse(text).definitions) {
        if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
        if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
      }
    };
    // The web app's graphql(`...`) documents, as its codegen reads them, and the REST routes' operations.
    for (const file of sources(join(root, 'web/src')))
      for (const match of readFileSync(file, 'utf8').matchAll(/graphql\(`([\s\S]*?)`\)/g)) take(match[1]);
    const rest = join(root, 'schema/rest');
    for (const file of readdirSync(rest)) take(readFileSync(join(rest, file), 'utf8'));
    expect(operations.length).toBeGreaterThan(60);

    const largest = operations.map((operation) => {
      const pages = Object.fromEntries(
        (operation.variableDefinitions ?? [])
          .map((v) => v.variable.name.value)
          .filter((name) => ['first', 'last', 'limit'].includes(name))
          .map((name) => [name, 200]),
      );
      return estimatedResultSize(supergraph, operation, fragments, pages);
    });
    expect(Math.max(...largest)).toBeLessThan(PROTECTION_DEFAULTS.limits.maxResultSize / 2);
  });
});
