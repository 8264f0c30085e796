// GraphQL-over-HTTP conformance of the gateway: graphql-http's own server audit (61 checks) against the generic mode
// over the foreign subgraphs, with introspection on (development) and off (production).
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditServer, type AuditResult } from 'graphql-http';
import pino from 'pino';
import { startGenericGateway } from '@sting/gateway/generic/index.ts';
import type { RunningGateway } from '@sting/gateway';
import { startForeignSubgraphs, type ForeignSubgraphs } from '../standins/foreign-subgraphs.ts';

let foreign: ForeignSubgraphs;
let supergraph: string;
const gateways: RunningGateway[] = [];

beforeAll(async () => {
  foreign = await startForeignSubgraphs({ record: false });
  supergraph = join(await mkdtemp(join(tmpdir(), 'sting-conformance-')), 'supergraph.graphql');
  await writeFile(supergraph, foreign.supergraphSdl);
});

afterAll(async () => {
  for (const gateway of gateways) await gateway.stop();
  await foreign?.close();
});

/** Each result that is not ok, as one readable line (the assertion message when one fails). */
const notOk = (results: AuditResult[]) =>
  results
    .filter((r) => r.status !== 'ok')
    .map((r) => `${r.status}: ${r.name}: ${'reason' in r ? r.reason : ''}`);

describe.each(['development', 'production'] as const)('graphql-http server audit (%s)', (profile) => {
  it('passes every check', async () => {
    const gateway = await startGenericGateway({
      supergraph,
      port: 0,
      metricsPort: 0,
      profile,
      logger: pino({ level: process.env.STING_TEST_LOG ?? 'silent' }),
      protection: { rateLimit: { enabled: false, requestsPerMinute: 600, loginPerMinute: 10 } },
    });
    gateways.push(gateway);
    const results = await auditServer({ url: gateway.url });
    expect(notOk(results)).toEqual([]);
    expect(results.filter((r) => r.status === 'ok')).toHaveLength(61);
  });
});

describe('the rules behind the audit', () => {
  let production: RunningGateway;
  beforeAll(async () => {
    production = await startGenericGateway({
      supergraph,
      port: 0,
      metricsPort: 0,
      profile: 'production',
      logger: pino({ level: 'silent' }),
    });
    gateways.push(production);
  });

  const post = async (query: string, headers: Record<string, string> = {}) => {
    const response = await fetch(production.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });
    return { status: response.status, body: (await response.json()) as { data?: any; errors?: any[] } };
  };

  it('with introspection off, refuses __schema and answers __type with null, also through a fragment', async () => {
    const schema = await post('{ __schema { types { name } } }');
    expect(schema.status).toBe(400);
    expect(schema.body.errors?.[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(schema.body.data).toBeUndefined();

    const type = await post('{ __type(name: "Product") { name fields { name } } }');
    expect(type).toEqual({ status: 200, body: { data: { __type: null } } });
    const aliased = await post(
      '{ ...F topProducts(first: 1) { name } } fragment F on Query { t: __type(name: "Review") { name } }',
    );
    expect(aliased).toEqual({
      status: 200,
      body: { data: { t: null, topProducts: [{ name: 'Product 0' }] } },
    });
  });

  it('answers a request error 200 only to a client that asked for application/json', async () => {
    const broken = '{ topProducts(first: 1) { name ';
    expect((await post(broken, { accept: 'application/json' })).status).toBe(200);
    expect((await post(broken, { accept: 'application/graphql-response+json' })).status).toBe(400);
    expect((await post(broken)).status).toBe(400);
    const unknownField = await post('{ nope }', { accept: 'application/json' });
    expect(unknownField.status).toBe(200);
    expect(unknownField.body.errors?.[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('runs a GET query without a preflight header only when it carries no cookie', async () => {
    const url = `${production.url}?query=${encodeURIComponent('{ topProducts(first: 1) { name } }')}`;
    const plain = await fetch(url, { headers: { accept: 'application/json' } });
    expect(plain.status).toBe(200);
    expect(await plain.json()).toEqual({ data: { topProducts: [{ name: 'Product 0' }] } });

    // A browser sends the cookie on a cross-site GET by itself: that request still needs the preflight header.
    const withCookie = await fetch(url, {
      headers: { accept: 'application/json', cookie: 'sting_session=x' },
    });
    expect(withCookie.status).toBe(400);
    const preflighted = await fetch(url, {
      headers: { accept: 'application/json', cookie: 'sting_session=x', 'apollo-require-preflight': 'true' },
    });
    expect(preflighted.status).toBe(200);

    const mutation = await fetch(`${production.url}?query=${encodeURIComponent('mutation { __typename }')}`);
    expect(mutation.status).toBeGreaterThanOrEqual(400);
    expect(mutation.status).toBeLessThan(500);
  });
});
