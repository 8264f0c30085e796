// The rate-limit plugin over a small schema: per-client buckets (user id when signed in, else address), the
// stricter `login` bucket per address and email, and RATE_LIMITED with 429 and Retry-After.
import { describe, it, expect } from '@jest/globals';
import { ApolloServer } from '@apollo/server';
import pino from 'pino';
import { InProcessRateLimiter, type RateLimiter } from '@sting/kit';
import type { GatewayContext } from '../src/context.ts';
import { rateLimitPlugin } from '../src/plugins/rate-limit.ts';
import { maskGatewayError } from '../src/pipeline/error-masking.ts';
import { clientAddress } from '../src/client-address.ts';

const typeDefs = `
  type Query { ping: String }
  type Mutation { login(email: String!, password: String!): Boolean }
`;

function server(limiter: RateLimiter, requestsPerMinute = 3, loginPerMinute = 2) {
  return new ApolloServer<GatewayContext>({
    typeDefs,
    resolvers: { Query: { ping: () => 'pong' }, Mutation: { login: () => false } },
    formatError: maskGatewayError,
    logger: pino({ level: 'silent' }),
    plugins: [rateLimitPlugin({ enabled: true, requestsPerMinute, loginPerMinute, limiter })],
  });
}

const anonymous = (address: string): GatewayContext => ({
  viewer: null,
  requestId: 'r',
  clientAddress: address,
});
const signedIn = (id: string, address: string): GatewayContext => ({
  viewer: { kind: 'user', id, role: 'MEMBER' },
  requestId: 'r',
  clientAddress: address,
});

async function run(
  apollo: ApolloServer<GatewayContext>,
  contextValue: GatewayContext,
  query = '{ ping }',
  variables?: Record<string, unknown>,
) {
  const response = await apollo.executeOperation({ query, variables }, { contextValue });
  const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
  return { status: response.http.status, retryAfter: response.http.headers.get('retry-after'), result };
}

describe('rateLimitPlugin', () => {
  it('refuses past the budget with RATE_LIMITED, 429 and Retry-After', async () => {
    const apollo = server(new InProcessRateLimiter());
    for (let i = 0; i < 3; i++)
      expect((await run(apollo, anonymous('10.0.0.1'))).result?.errors).toBeUndefined();
    const refused = await run(apollo, anonymous('10.0.0.1'));
    expect(refused.status).toBe(429);
    expect(refused.result?.data).toBeUndefined();
    const error = refused.result?.errors?.[0];
    expect(error?.extensions?.code).toBe('RATE_LIMITED');
    expect(error?.extensions?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(error?.extensions?.http).toBeUndefined();
    expect(refused.retryAfter).toBe(String(error?.extensions?.retryAfterSeconds));
  });

  it('keys signed-in callers by user and anonymous ones by address', async () => {
    const apollo = server(new InProcessRateLimiter());
    for (let i = 0; i < 3; i++) await run(apollo, signedIn('u-1', '10.0.0.1'));
    expect((await run(apollo, signedIn('u-1', '10.0.0.2'))).status).toBe(429);
    // Same address, someone else: their own budget.
    expect((await run(apollo, signedIn('u-2', '10.0.0.1'))).result?.errors).toBeUndefined();
    expect((await run(apollo, anonymous('10.0.0.1'))).result?.errors).toBeUndefined();
  });

  it('gives login its own, stricter bucket per address and email', async () => {
    const apollo = server(new InProcessRateLimiter(), 100, 2);
    const login = 'mutation ($e: String!) { login(email: $e, password: "x") }';
    await run(apollo, anonymous('10.0.0.1'), login, { e: 'Ann@Example.com' });
    await run(apollo, anonymous('10.0.0.1'), login, { e: 'ann@example.com' });
    const third = await run(
      apollo,
      anonymous('10.0.0.1'),
      'mutation { login(email: " ann@example.com", password: "y") }',
    );
    expect(third.status).toBe(429);
    expect(third.result?.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    // Another email from the address, the same email from elsewhere, and ordinary queries still pass.
    expect(
      (await run(apollo, anonymous('10.0.0.1'), login, { e: 'bob@example.com' })).result?.errors,
    ).toBeUndefined();
    expect(
      (await run(apollo, anonymous('10.0.0.9'), login, { e: 'ann@example.com' })).result?.errors,
    ).toBeUndefined();
    expect((await run(apollo, anonymous('10.0.0.1'))).result?.errors).toBeUndefined();
  });

  it('counts a login hidden in an inline fragment, a named fragment or aliases (finding 2)', async () => {
    const limiter = new InProcessRateLimiter();
    const apollo = server(limiter, 1000, 3);
    const forms = [
      'mutation { ... on Mutation { login(email: "ann@example.com", password: "a") } }',
      'mutation { ...Guess } fragment Guess on Mutation { login(email: "ann@example.com", password: "b") }',
      'mutation { ... @include(if: true) { login(email: "ann@example.com", password: "c") } }',
    ];
    for (const query of forms)
      expect((await run(apollo, anonymous('10.0.0.5'), query)).result?.errors).toBeUndefined();
    for (const query of forms) expect((await run(apollo, anonymous('10.0.0.5'), query)).status).toBe(429);
    // Ten guesses in one request are ten guesses: they exhaust a fresh budget of 3 at once.
    const aliases = Array.from(
      { length: 10 },
      (_, i) => `g${i}: login(email: "cy@example.com", password: "${i}")`,
    ).join(' ');
    expect((await run(apollo, anonymous('10.0.0.6'), `mutation { ${aliases} }`)).status).toBe(429);
  });

  it('names no email in a bucket key: a keyed hash stands for it', async () => {
    const keys: string[] = [];
    const spy: RateLimiter = {
      consume: async (key) => {
        keys.push(key);
        return { allowed: true, remaining: 1, retryAfterSeconds: 0 };
      },
      close: async () => undefined,
    };
    await run(
      server(spy),
      anonymous('10.0.0.7'),
      'mutation { login(email: "Dee@Example.com", password: "x") }',
    );
    expect(keys.some((k) => k.startsWith('login:10.0.0.7:'))).toBe(true);
    expect(keys.join(' ').toLowerCase()).not.toContain('dee');
    expect(keys.join(' ')).not.toContain('example.com');
  });

  it('serves requests when the limiter itself fails', async () => {
    const broken: RateLimiter = {
      consume: async () => {
        throw new Error('redis away');
      },
      close: async () => undefined,
    };
    expect((await run(server(broken), anonymous('10.0.0.1'))).result?.data).toEqual({ ping: 'pong' });
  });

  it('does nothing when disabled', async () => {
    const apollo = new ApolloServer<GatewayContext>({
      typeDefs,
      resolvers: { Query: { ping: () => 'pong' } },
      plugins: [
        rateLimitPlugin({
          enabled: false,
          requestsPerMinute: 1,
          loginPerMinute: 1,
          limiter: new InProcessRateLimiter(),
        }),
      ],
    });
    for (let i = 0; i < 3; i++)
      expect((await run(apollo, anonymous('10.0.0.1'))).result?.errors).toBeUndefined();
  });
});

describe('clientAddress', () => {
  const headers = { 'x-forwarded-for': '203.0.113.7, 10.0.0.2' };
  it('believes x-forwarded-for only behind a trusted proxy', () => {
    expect(clientAddress(headers, '10.0.0.2', false)).toBe('10.0.0.2');
    expect(clientAddress(headers, '10.0.0.2', true)).toBe('203.0.113.7');
    expect(clientAddress({}, '10.0.0.2', true)).toBe('10.0.0.2');
  });
});
