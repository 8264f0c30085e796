// The SPA's one Apollo Client: queries and mutations over HTTP with the session cookie (never a token in
// storage), subscriptions over graphql-ws on the same origin. A request the gateway answers UNAUTHENTICATED sends
// the person to sign in, remembering where they were.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, type Reference } from '@apollo/client';
import type { FieldPolicy } from '@apollo/client/cache';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';

/** Connections of `{ nodes, pageInfo }` merge page after page while `after` moves forward. */
function nodesConnection(keyArgs: string[] | false = false) {
  return {
    keyArgs,
    merge(existing: { nodes: unknown[] } | undefined, incoming: { nodes: unknown[] }, { args }: any) {
      if (!existing || !args?.after) return incoming;
      return { ...incoming, nodes: [...existing.nodes, ...incoming.nodes] };
    },
  };
}

/** Connections of `{ edges, pageInfo }` likewise. */
function edgesConnection(keyArgs: string[] | false = false) {
  return {
    keyArgs,
    merge(existing: { edges: unknown[] } | undefined, incoming: { edges: unknown[] }, { args }: any) {
      if (!existing || !args?.after) return incoming;
      return { ...incoming, edges: [...existing.edges, ...incoming.edges] };
    },
  };
}

/**
 * A conversation's messages, loaded newest page first: an earlier page (`before`) goes above what is shown, and
 * the newest page fetched again (after a question or an answer) keeps the earlier pages loaded above it.
 */
function newestPageFirst(): FieldPolicy<readonly Reference[]> {
  return {
    keyArgs: false,
    merge(existing, incoming, { args, readField }) {
      if (!existing) return incoming;
      if (args?.before) return [...incoming, ...existing];
      const first = incoming.length ? readField('id', incoming[0]) : undefined;
      const start = existing.findIndex((message) => readField('id', message) === first);
      return start > 0 ? [...existing.slice(0, start), ...incoming] : incoming;
    },
  };
}

/** The cache with the app's connection policies (also used by the component tests). */
export function createCache(): InMemoryCache {
  return new InMemoryCache({
    typePolicies: {
      Query: {
        fields: {
          honeyJars: nodesConnection(['filter']),
          users: edgesConnection(['filter']),
          auditEvents: nodesConnection(['filter']),
          alerts: nodesConnection(['filter']),
          logs: nodesConnection(['filter']),
          conversations: nodesConnection(),
          documentReviewQueue: nodesConnection(['honeyJarId']),
        },
      },
      HoneyJar: { fields: { documents: nodesConnection(), members: nodesConnection() } },
      Conversation: { fields: { messages: newestPageFirst() } },
    },
  });
}

export function createApolloClient(onSignedOut: () => void): ApolloClient {
  const origin = window.location.origin;
  const http = new HttpLink({ uri: '/graphql', credentials: 'same-origin' });
  const ws = new GraphQLWsLink(
    createClient({
      url: origin.replace(/^http/, 'ws') + '/graphql',
      lazy: true,
      retryAttempts: 5,
    }),
  );
  const isSubscription = ({ operationType }: ApolloLink.Operation) =>
    operationType === OperationTypeNode.SUBSCRIPTION;
  const errors = new ErrorLink(({ error }) => {
    const unauthenticated =
      (CombinedGraphQLErrors.is(error) &&
        error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) ||
      (ServerError.is(error) && error.statusCode === 401);
    if (unauthenticated) onSignedOut();
  });
  return new ApolloClient({
    link: ApolloLink.from([errors, ApolloLink.split(isSubscription, ws, http)]),
    cache: createCache(),
  });
}
