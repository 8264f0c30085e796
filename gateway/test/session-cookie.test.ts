// The session cookie follows every root mutation field that begins a session (returns a Session): a passkey
// sign-in sets it like `login`; a failed sign-in, or a field returning something else, sets none.
import { describe, it, expect } from '@jest/globals';
import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import pino from 'pino';
import type { GatewayContext } from '../src/context.ts';
import { sessionCookiePlugin } from '../src/plugins/session-cookie.ts';
import { SessionResolver } from '../src/identity/session-resolver.ts';

const typeDefs = `
  type Query { ping: String }
  type Session { token: String! expiresAt: String! aal: String! }
  type Challenge { challengeId: ID! token: String }
  type Mutation {
    login(email: String!, password: String!, secondFactor: String): Session!
    finishPasskeySignIn(challengeId: ID!, response: String!): Session!
    startPasskeySignIn(email: String): Challenge!
  }
`;
const resolvers = {
  Mutation: {
    login: (_: unknown, args: { secondFactor?: string }) => {
      if (!args.secondFactor)
        throw new GraphQLError('Enter the code', { extensions: { code: 'SECOND_FACTOR_REQUIRED' } });
      return { token: 'totp-token', expiresAt: new Date(Date.now() + 3_600_000).toISOString(), aal: 'aal2' };
    },
    finishPasskeySignIn: (_: unknown, args: { response: string }) => {
      if (args.response === 'bad')
        throw new GraphQLError('Passkey sign-in failed', { extensions: { code: 'UNAUTHENTICATED' } });
      return {
        token: 'passkey-token',
        expiresAt: new Date(Date.now() + 7_200_000).toISOString(),
        aal: 'aal2',
      };
    },
    startPasskeySignIn: () => ({ challengeId: 'c1', token: 'not-a-session' }),
  },
};
const context: GatewayContext = { viewer: null, requestId: 'r-1', clientAddress: '10.1.1.1' };
const apollo = new ApolloServer<GatewayContext>({
  typeDefs,
  resolvers,
  logger: pino({ level: 'silent' }),
  plugins: [sessionCookiePlugin({ sessions: new SessionResolver(async () => null), sessionTtlSeconds: 60 })],
});

async function cookieOf(query: string): Promise<string | undefined> {
  const response = await apollo.executeOperation({ query }, { contextValue: context });
  return response.http.headers.get('set-cookie');
}

describe('session cookie for sign-ins', () => {
  it('sets the cookie from a passkey sign-in, with its lifetime', async () => {
    const cookie = await cookieOf(
      'mutation { s: finishPasskeySignIn(challengeId: "c1", response: "ok") { token expiresAt } }',
    );
    expect(cookie).toMatch(/^sting_session=passkey-token; /);
    const maxAge = Number(/Max-Age=(\d+)/i.exec(cookie ?? '')?.[1]);
    expect(maxAge).toBeGreaterThan(7000);
    expect(maxAge).toBeLessThanOrEqual(7200);
  });

  it('sets it from a login with a second factor, and not when the second factor was missing', async () => {
    expect(
      await cookieOf('mutation { login(email: "a@b.c", password: "p", secondFactor: "123456") { token } }'),
    ).toMatch(/^sting_session=totp-token; /);
    expect(await cookieOf('mutation { login(email: "a@b.c", password: "p") { token } }')).toBeUndefined();
  });

  it('sets none for a failed passkey sign-in or a field that does not return a Session', async () => {
    expect(
      await cookieOf('mutation { finishPasskeySignIn(challengeId: "c1", response: "bad") { token } }'),
    ).toBeUndefined();
    expect(await cookieOf('mutation { startPasskeySignIn { challengeId token } }')).toBeUndefined();
  });
});
