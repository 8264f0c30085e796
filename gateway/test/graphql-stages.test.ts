// GraphQL stages on a small Apollo server: the session cookie found through fragments (the same blind spot the
// login rate limit had), the audit record of each mutation field, and no `data: null` without errors.
import { describe, it, expect } from '@jest/globals';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import pino from 'pino';
import type { GatewayContext } from '../src/context.ts';
import { auditPlugin, type AuditRecord } from '../src/pipeline/audit.ts';
import { errorMaskingPlugin } from '../src/pipeline/error-masking.ts';
import { sessionCookiePlugin } from '../src/plugins/session-cookie.ts';
import { SessionResolver } from '../src/identity/session-resolver.ts';

const typeDefs = `
  type Query { ping: String secret: String }
  type Session { token: String! expiresAt: String! }
  type Mutation { login(email: String!, password: String!): Session! rename(id: ID!, name: String!): Boolean }
`;
const resolvers = {
  Query: {
    ping: () => 'pong',
    secret: () => {
      throw new GraphQLError('Administrators only', { extensions: { code: 'FORBIDDEN' } });
    },
  },
  Mutation: {
    login: () => ({ token: 'fresh-token', expiresAt: new Date(Date.now() + 3_600_000).toISOString() }),
    rename: (_: unknown, args: { name: string }) => {
      if (args.name === 'bad') throw new Error('disk full');
      return true;
    },
  },
};
const context: GatewayContext = {
  viewer: { kind: 'user', id: 'u1', role: 'MEMBER' },
  requestId: 'r-1',
  clientAddress: '10.1.1.1',
};
const logger = pino({ level: 'silent' });

function server(plugins: ApolloServerPlugin<GatewayContext>[]) {
  return new ApolloServer<GatewayContext>({ typeDefs, resolvers, logger, plugins });
}

describe('session cookie plugin', () => {
  const plugin = sessionCookiePlugin({
    sessions: new SessionResolver(async () => null),
    sessionTtlSeconds: 60,
  });
  it('sets the cookie for a login inside an inline or a named fragment', async () => {
    const apollo = server([plugin]);
    for (const query of [
      'mutation { ... on Mutation { login(email: "a@b.c", password: "p") { token expiresAt } } }',
      'mutation { ...L } fragment L on Mutation { s: login(email: "a@b.c", password: "p") { ...T } } fragment T on Session { t: token }',
    ]) {
      const response = await apollo.executeOperation({ query }, { contextValue: context });
      expect(response.http.headers.get('set-cookie')).toMatch(/^sting_session=fresh-token; /);
    }
  });
});

describe('audit stage', () => {
  it('records each mutation field with its target and outcome, and no query', async () => {
    const records: AuditRecord[] = [];
    const apollo = server([auditPlugin({ record: (r) => void records.push(r) }, logger)]);
    await apollo.executeOperation({ query: '{ ping }' }, { contextValue: context });
    await apollo.executeOperation(
      {
        query:
          'mutation ($id: ID!) { ok: rename(id: $id, name: "fine") fail: rename(id: "j2", name: "bad") }',
        variables: { id: 'j1' },
      },
      { contextValue: context },
    );
    expect(records).toEqual([
      {
        actor: 'user:u1',
        actorId: 'u1',
        action: 'mutation rename',
        target: 'id=j1',
        outcome: 'success',
        requestId: 'r-1',
        clientAddress: '10.1.1.1',
        via: 'graphql',
      },
      expect.objectContaining({
        action: 'mutation rename',
        target: 'id=j2',
        outcome: 'failure',
        code: 'INTERNAL_SERVER_ERROR',
      }),
    ]);
  });
});

describe('audit stage: denials and keys', () => {
  it('records a query field refused as FORBIDDEN, with the API key the caller used, and no allowed read', async () => {
    const records: AuditRecord[] = [];
    const apollo = server([auditPlugin({ record: (r) => void records.push(r) }, logger)]);
    const withKey: GatewayContext = {
      ...context,
      viewer: { kind: 'user', id: 'u1', role: 'MEMBER', apiKey: { id: 'k1', scopes: ['search'] } },
    };
    await apollo.executeOperation({ query: '{ ping secret }' }, { contextValue: withKey });
    expect(records).toEqual([
      {
        actor: 'api_key:k1',
        actorId: 'u1',
        apiKeyId: 'k1',
        action: 'query secret',
        outcome: 'denied',
        code: 'FORBIDDEN',
        requestId: 'r-1',
        clientAddress: '10.1.1.1',
        via: 'graphql',
      },
    ]);
  });

  it('leaves out calls the gateway makes itself (as system)', async () => {
    const records: AuditRecord[] = [];
    const apollo = server([auditPlugin({ record: (r) => void records.push(r) }, logger)]);
    await apollo.executeOperation(
      { query: 'mutation { rename(id: "j1", name: "x") }' },
      { contextValue: { ...context, viewer: { kind: 'system' } } },
    );
    expect(records).toEqual([]);
  });
});

describe('error masking stage', () => {
  it('never answers data: null without errors', async () => {
    const nullAnswer: ApolloServerPlugin<GatewayContext> = {
      async requestDidStart() {
        return {
          async responseForOperation() {
            return {
              body: { kind: 'single', singleResult: { data: null } },
              http: { headers: new Map() as never, status: undefined },
            };
          },
        };
      },
    };
    const apollo = server([nullAnswer, errorMaskingPlugin(logger)]);
    const response = await apollo.executeOperation({ query: '{ ping }' }, { contextValue: context });
    const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
    expect(result?.data).toBeNull();
    expect(result?.errors?.[0].extensions?.code).toBe('INTERNAL_SERVER_ERROR');
  });
});
