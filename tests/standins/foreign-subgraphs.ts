// Two federation subgraphs that have nothing to do with STING (accounts; products with reviews), served by plain
// graphql-js over HTTP and graphql-ws: the foreign supergraph the generic gateway, the conformance audit and the
// peer benchmark run against. They record the headers they receive, and trust a bearer token of their own.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { execute, GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';

const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';

export const accounts = [
  { id: 'a1', name: 'Ada Lovelace', username: 'ada', token: 'token-of-ada' },
  { id: 'a2', name: 'Alan Turing', username: 'alan', token: 'token-of-alan' },
];

export const products = Array.from({ length: 10 }, (_, i) => ({
  upc: `p${i}`,
  name: `Product ${i}`,
  price: 100 + i,
}));

interface Review {
  id: string;
  body: string;
  upc: string;
  authorId: string;
}

/** What a subgraph saw of one request: the headers a gateway may forward, and over which transport. */
export interface SeenRequest {
  subgraph: string;
  transport: 'http' | 'ws';
  authorization?: string;
  cookie?: string;
  requestId?: string;
  connectionParams?: Record<string, unknown>;
}

interface ResolverContext {
  authorization?: string;
}

const viewerOf = (ctx: ResolverContext) =>
  accounts.find((a) => ctx.authorization === `Bearer ${a.token}`) ?? null;

/**
 * A tiny in-memory pub/sub for `reviewAdded`. Its iterators are hand-written: a generator's `return()` would wait for
 * the next event before the listener goes, and an unsubscribed client would stay counted until then.
 */
class Topic<T> {
  readonly #listeners = new Set<(value: T) => void>();
  publish(value: T): void {
    for (const listener of this.#listeners) listener(value);
  }
  get size(): number {
    return this.#listeners.size;
  }
  subscribe<U>(map: (value: T) => U | undefined): AsyncIterableIterator<U> {
    const queue: U[] = [];
    let wake: ((step: IteratorResult<U>) => void) | undefined;
    const listener = (value: T) => {
      const mapped = map(value);
      if (mapped === undefined) return;
      if (wake) wake({ done: false, value: mapped });
      else queue.push(mapped);
      wake = undefined;
    };
    this.#listeners.add(listener);
    const done: IteratorReturnResult<undefined> = { done: true, value: undefined };
    const iterator: AsyncIterableIterator<U> = {
      next: () =>
        queue.length
          ? Promise.resolve({ done: false, value: queue.shift()! })
          : this.#listeners.has(listener)
            ? new Promise((resolve) => (wake = resolve))
            : Promise.resolve(done),
      return: () => {
        this.#listeners.delete(listener);
        wake?.(done);
        return Promise.resolve(done);
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
}

function accountsSchema(): GraphQLSchema {
  return buildSubgraphSchema([
    {
      typeDefs: parse(`${link}
      type Query { me: User users: [User!]! }
      type User @key(fields: "id") { id: ID! name: String! username: String! }`),
      resolvers: {
        Query: {
          me: (_: unknown, __: unknown, ctx: ResolverContext) => viewerOf(ctx),
          users: () => accounts,
        },
        User: {
          __resolveReference: (ref: { id: string }) => accounts.find((a) => a.id === ref.id) ?? null,
        },
      } as never,
    },
  ]);
}

function productsSchema(reviews: Review[], added: Topic<Review>): GraphQLSchema {
  const reviewsOf = (upc: string) => reviews.filter((r) => r.upc === upc);
  return buildSubgraphSchema([
    {
      typeDefs: parse(`${link}
      type Query { topProducts(first: Int = 5): [Product!]! product(upc: String!): Product }
      type Mutation { addReview(upc: String!, body: String!): Review! }
      type Subscription { reviewAdded(upc: String!): Review! }
      type Product @key(fields: "upc") { upc: String! name: String! price: Int! reviews: [Review!]! }
      type Review { id: ID! body: String! author: User! product: Product! }
      type User @key(fields: "id", resolvable: false) { id: ID! }`),
      resolvers: {
        Query: {
          topProducts: (_: unknown, { first }: { first: number }) => products.slice(0, Math.max(0, first)),
          product: (_: unknown, { upc }: { upc: string }) => products.find((p) => p.upc === upc) ?? null,
        },
        Mutation: {
          addReview: (_: unknown, { upc, body }: { upc: string; body: string }, ctx: ResolverContext) => {
            const author = viewerOf(ctx);
            if (!author)
              throw new GraphQLError('Sign in to review', { extensions: { code: 'UNAUTHENTICATED' } });
            const review = { id: `r${reviews.length + 1}`, body, upc, authorId: author.id };
            reviews.push(review);
            added.publish(review);
            return review;
          },
        },
        Subscription: {
          reviewAdded: {
            // Refused before the stream exists, so graphql-ws answers with an `error` message.
            subscribe: async (_: unknown, { upc }: { upc: string }, ctx: ResolverContext) => {
              if (!viewerOf(ctx))
                throw new GraphQLError('Sign in to follow reviews', {
                  extensions: { code: 'UNAUTHENTICATED' },
                });
              return added.subscribe((review) => (review.upc === upc ? { reviewAdded: review } : undefined));
            },
          },
        },
        Product: {
          __resolveReference: (ref: { upc: string }) => products.find((p) => p.upc === ref.upc) ?? null,
          reviews: (product: { upc: string }) => reviewsOf(product.upc),
        },
        Review: {
          author: (review: Review) => ({ __typename: 'User', id: review.authorId }),
          product: (review: Review) => products.find((p) => p.upc === review.upc),
        },
      } as never,
    },
  ]);
}

export interface ForeignSubgraph {
  name: string;
  url: string;
  close(): Promise<void>;
}

export interface ForeignSubgraphs {
  subgraphs: ForeignSubgraph[];
  /** The composed supergraph naming both subgraphs' URLs in its join__Graph entries. */
  supergraphSdl: string;
  /** Every request either subgraph received, in order. */
  seen: SeenRequest[];
  /** Open `reviewAdded` subscriptions on the products subgraph. */
  openSubscriptions(): number;
  close(): Promise<void>;
}

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(', ') : value);

function headersSeen(subgraph: string, headers: IncomingHttpHeaders): SeenRequest {
  return {
    subgraph,
    transport: 'http',
    authorization: one(headers.authorization),
    cookie: one(headers.cookie),
    requestId: one(headers['x-request-id']),
  };
}

async function serveSchema(
  name: string,
  schema: GraphQLSchema,
  seen: SeenRequest[] | undefined,
): Promise<ForeignSubgraph> {
  const documents = new Map<string, DocumentNode>();
  const documentOf = (query: string): DocumentNode | readonly GraphQLError[] => {
    const cached = documents.get(query);
    if (cached) return cached;
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (err) {
      return [err as GraphQLError];
    }
    const errors = validate(schema, document);
    if (errors.length) return errors;
    documents.set(query, document);
    return document;
  };
  const answer = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST') return answer(res, 405, { errors: [{ message: 'POST only' }] });
    seen?.push(headersSeen(name, req.headers));
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: { query?: string; variables?: Record<string, unknown>; operationName?: string };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return answer(res, 400, { errors: [{ message: 'body is not JSON' }] });
    }
    const document = documentOf(body.query ?? '');
    if (!('kind' in document)) return answer(res, 400, { errors: document.map((e) => e.toJSON()) });
    const result = await execute({
      schema,
      document,
      variableValues: body.variables,
      operationName: body.operationName,
      contextValue: { authorization: one(req.headers.authorization) } satisfies ResolverContext,
    });
    answer(res, 200, result);
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => answer(res, 500, { errors: [{ message: String(err) }] }));
  });
  // Gateways keep connections alive; so do we, or every request would pay a TCP handshake.
  server.keepAliveTimeout = 60_000;
  const wss = new WebSocketServer({ server, path: '/graphql' });
  useServer(
    {
      schema,
      context: (ctx): ResolverContext => {
        const params = ctx.connectionParams ?? {};
        const fromParams = params.authorization ?? params.Authorization;
        return {
          authorization:
            typeof fromParams === 'string' ? fromParams : one(ctx.extra.request.headers.authorization),
        };
      },
      onConnect: (ctx) => {
        seen?.push({
          ...headersSeen(name, ctx.extra.request.headers),
          transport: 'ws',
          connectionParams: ctx.connectionParams,
        });
        return true;
      },
    },
    wss,
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    name,
    url: `http://127.0.0.1:${port}/graphql`,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Starts both subgraphs on free ports. `record: false` keeps no log of requests (benchmarks). */
export async function startForeignSubgraphs(options: { record?: boolean } = {}): Promise<ForeignSubgraphs> {
  const seen: SeenRequest[] = [];
  const log = options.record === false ? undefined : seen;
  const reviews: Review[] = products.flatMap((p, i) => [
    { id: `r-${p.upc}-1`, body: `Great ${p.name}`, upc: p.upc, authorId: accounts[i % 2].id },
    { id: `r-${p.upc}-2`, body: `Fine ${p.name}`, upc: p.upc, authorId: accounts[(i + 1) % 2].id },
  ]);
  const added = new Topic<Review>();
  const typeDefs = {
    accounts: accountsSchema(),
    products: productsSchema(reviews, added),
  };
  const subgraphs = [
    await serveSchema('accounts', typeDefs.accounts, log),
    await serveSchema('products', typeDefs.products, log),
  ];
  const sdlOf = (schema: GraphQLSchema) => {
    const result = execute({ schema, document: parse('{ _service { sdl } }') }) as { data?: any };
    return parse(result.data._service.sdl as string);
  };
  const composed = composeServices(
    subgraphs.map((s) => ({
      name: s.name,
      url: s.url,
      typeDefs: sdlOf(typeDefs[s.name as keyof typeof typeDefs]),
    })),
  );
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  return {
    subgraphs,
    supergraphSdl: composed.supergraphSdl,
    seen,
    openSubscriptions: () => added.size,
    async close() {
      for (const subgraph of subgraphs) await subgraph.close();
    },
  };
}
