// The gateway over a supergraph that is not STING's (tests/standins/foreign-subgraphs.ts): routing from its
// join__Graph entries, bearer tokens and cookies forwarded as configured instead of looked up as STING sessions,
// the pipeline's limits, federated subscriptions over graphql-ws shared per caller, and the serve.ts command line.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import pino from 'pino';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { startGenericGateway } from '../src/generic/index.ts';
import type { RunningGateway } from '../src/gateway.ts';
import { startForeignSubgraphs, type ForeignSubgraphs } from '../../tests/standins/foreign-subgraphs.ts';
import { postGraphQL, waitFor } from './toy-platform.ts';

const REVIEW_ADDED =
  'subscription ($upc: String!) { reviewAdded(upc: $upc) { body author { name } product { name } } }';
const ADD_REVIEW = 'mutation ($upc: String!, $body: String!) { addReview(upc: $upc, body: $body) { id } }';
const ADA = { authorization: 'Bearer token-of-ada' };

let foreign: ForeignSubgraphs;
let supergraphPath: string;
let gateway: RunningGateway;
let withCookies: RunningGateway;
const logger = pino({ level: process.env.STING_TEST_LOG ?? 'silent' });

beforeAll(async () => {
  foreign = await startForeignSubgraphs();
  const dir = await mkdtemp(join(tmpdir(), 'sting-generic-'));
  supergraphPath = join(dir, 'supergraph.graphql');
  await writeFile(supergraphPath, foreign.supergraphSdl);
  gateway = await startGenericGateway({ supergraph: supergraphPath, port: 0, metricsPort: 0, logger });
  withCookies = await startGenericGateway({
    supergraph: supergraphPath,
    port: 0,
    metricsPort: 0,
    logger,
    forwardHeaders: ['Authorization', 'Cookie', 'Host'],
  });
});

afterAll(async () => {
  await gateway?.stop();
  await withCookies?.stop();
  await foreign?.close();
});

const connect = (url: string, params: Record<string, unknown> = {}): Client =>
  createClient({
    url: url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: params,
    retryAttempts: 0,
  });

const seenSince = (mark: number) => foreign.seen.slice(mark);

describe('generic gateway: routing from join__Graph', () => {
  it('reads subgraph names and URLs from the supergraph', () => {
    const urls = [...gateway.federation.endpoints].map(([name, endpoint]) => ({
      name,
      url: (endpoint.dataSource as RemoteGraphQLDataSource).url,
    }));
    expect(urls.sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      foreign.subgraphs.map(({ name, url }) => ({ name, url })).sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  it('answers a query planned across both subgraphs', async () => {
    const { status, body } = await postGraphQL(
      gateway.url,
      '{ topProducts(first: 2) { name reviews { body author { name username } } } }',
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data.topProducts).toEqual([
      {
        name: 'Product 0',
        reviews: [
          { body: 'Great Product 0', author: { name: 'Ada Lovelace', username: 'ada' } },
          { body: 'Fine Product 0', author: { name: 'Alan Turing', username: 'alan' } },
        ],
      },
      {
        name: 'Product 1',
        reviews: [
          { body: 'Great Product 1', author: { name: 'Alan Turing', username: 'alan' } },
          { body: 'Fine Product 1', author: { name: 'Ada Lovelace', username: 'ada' } },
        ],
      },
    ]);
  });

  it('refuses to start on a supergraph whose subgraph has no URL', async () => {
    const broken = join(await mkdtemp(join(tmpdir(), 'sting-generic-')), 'broken.graphql');
    await writeFile(
      broken,
      foreign.supergraphSdl.replace(/(@join__graph\(name: "\w+", url: )"[^"]*"/, '$1""'),
    );
    await expect(
      startGenericGateway({ supergraph: broken, port: 0, metricsPort: 0, logger }),
    ).rejects.toThrow(/join__Graph "\w+" has no http\(s\) URL/);
  });
});

describe('generic gateway: callers are not STING sessions', () => {
  it('forwards a bearer token to the subgraphs, which decide what it is worth', async () => {
    const mark = foreign.seen.length;
    const { status, body } = await postGraphQL(
      gateway.url,
      '{ me { name } topProducts(first: 1) { name } }',
      undefined,
      { ...ADA, 'x-request-id': 'generic-req-1' },
    );
    expect(status).toBe(200);
    expect(body).toEqual({ data: { me: { name: 'Ada Lovelace' }, topProducts: [{ name: 'Product 0' }] } });
    const seen = seenSince(mark);
    expect(seen.map((s) => s.subgraph).sort()).toEqual(['accounts', 'products']);
    for (const request of seen) {
      expect(request.authorization).toBe(ADA.authorization);
      expect(request.requestId).toBe('generic-req-1');
    }
  });

  it('answers a token nobody knows with data, not a 401 or 500: the subgraph saw no one it knows', async () => {
    const { status, body } = await postGraphQL(gateway.url, '{ me { name } }', undefined, {
      authorization: 'Bearer not-a-token',
    });
    expect(status).toBe(200);
    expect(body).toEqual({ data: { me: null } });
  });

  it('keeps cookies (a STING session cookie included) away from subgraphs unless configured', async () => {
    const cookie = 'sting_session=abc; theme=dark';
    let mark = foreign.seen.length;
    const plain = await postGraphQL(gateway.url, '{ me { name } }', undefined, { cookie });
    expect(plain.status).toBe(200);
    expect(plain.body).toEqual({ data: { me: null } });
    expect(seenSince(mark).map((s) => s.cookie)).toEqual([undefined]);

    mark = foreign.seen.length;
    const forwarded = await postGraphQL(withCookies.url, '{ me { name } }', undefined, { cookie, ...ADA });
    expect(forwarded.status).toBe(200);
    expect(forwarded.body).toEqual({ data: { me: { name: 'Ada Lovelace' } } });
    expect(seenSince(mark).map((s) => s.cookie)).toEqual([cookie]);
  });

  it('never forwards hop-by-hop headers, even when configured', async () => {
    const mark = foreign.seen.length;
    const { status } = await postGraphQL(withCookies.url, '{ users { id } }', undefined, {
      host: 'evil.example',
    });
    expect(status).toBe(200);
    expect(seenSince(mark)).toHaveLength(1);
  });

  it('applies the pipeline: operation limits refuse before any subgraph is asked', async () => {
    const mark = foreign.seen.length;
    const deep = `{ topProducts { ${'reviews { product { '.repeat(7)}name${' } }'.repeat(7)} } }`;
    const { status, body } = await postGraphQL(gateway.url, deep);
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(seenSince(mark)).toHaveLength(0);
  });
});

describe('generic gateway: federated subscriptions', () => {
  it('delivers events completed by the other subgraph, with the caller headers forwarded in connection_init', async () => {
    const mark = foreign.seen.length;
    const client = connect(gateway.url, ADA);
    const events = client.iterate({ query: REVIEW_ADDED, variables: { upc: 'p3' } });
    const first = events.next();
    await waitFor(() => foreign.openSubscriptions() === 1);
    const added = await postGraphQL(gateway.url, ADD_REVIEW, { upc: 'p3', body: 'Sturdy' }, ADA);
    expect(added.body.errors).toBeUndefined();
    expect((await first).value).toEqual({
      data: {
        reviewAdded: { body: 'Sturdy', author: { name: 'Ada Lovelace' }, product: { name: 'Product 3' } },
      },
    });
    const ws = seenSince(mark).find((s) => s.transport === 'ws');
    expect(ws?.subgraph).toBe('products');
    expect(ws?.connectionParams).toEqual({ authorization: ADA.authorization });
    expect(ws?.authorization).toBe(ADA.authorization);
    await client.dispose();
    await waitFor(() => foreign.openSubscriptions() === 0);
  });

  it('shares one upstream between subscribers with the same headers, never across different ones', async () => {
    const alan = { authorization: 'Bearer token-of-alan' };
    const clients = [connect(gateway.url, ADA), connect(gateway.url, ADA), connect(gateway.url, alan)];
    const streams = clients.map((c) => c.iterate({ query: REVIEW_ADDED, variables: { upc: 'p4' } }));
    const firsts = streams.map((s) => s.next());
    await waitFor(() => foreign.openSubscriptions() === 2);
    expect(gateway.federation.endpoints.get('products')!.openSubscriptions()).toBe(2);
    await postGraphQL(gateway.url, ADD_REVIEW, { upc: 'p4', body: 'Shared' }, alan);
    for (const step of await Promise.all(firsts))
      expect(step.value).toEqual({
        data: {
          reviewAdded: { body: 'Shared', author: { name: 'Alan Turing' }, product: { name: 'Product 4' } },
        },
      });
    await Promise.all(clients.map((c) => c.dispose()));
    await waitFor(() => foreign.openSubscriptions() === 0);
    expect(gateway.federation.endpoints.get('products')!.openSubscriptions()).toBe(0);
  });

  it("passes on the subgraph's refusal when the caller sends no token", async () => {
    const client = connect(gateway.url);
    const events = client.iterate({ query: REVIEW_ADDED, variables: { upc: 'p5' } });
    const first = await events.next().catch((errors: unknown) => ({ value: { errors } }));
    const errors = (first.value as { errors: { message: string; extensions?: { code?: string } }[] }).errors;
    expect(errors[0]).toMatchObject({
      message: 'Sign in to follow reviews',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    await client.dispose();
    await waitFor(() => foreign.openSubscriptions() === 0);
  });
});

describe('generic gateway: node gateway/src/serve.ts', () => {
  it('serves the supergraph from the command line and stops on SIGTERM', async () => {
    const serve = fileURLToPath(new URL('../src/serve.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      [serve, '--supergraph', supergraphPath, '--port', '0', '--metrics-port', '0', '--log-level', 'warn'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await waitFor(() => /listening on (\S+)/.test(output), 20_000);
      const url = /listening on (\S+)/.exec(output)![1];
      const { status, body } = await postGraphQL(url, '{ me { name } }', undefined, ADA);
      expect(status).toBe(200);
      expect(body).toEqual({ data: { me: { name: 'Ada Lovelace' } } });
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  }, 30_000);

  it('refuses a missing --supergraph with its usage', async () => {
    const serve = fileURLToPath(new URL('../src/serve.ts', import.meta.url));
    const child = spawn(process.execPath, [serve, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/usage: node gateway\/src\/serve\.ts --supergraph/);
  }, 30_000);
});
