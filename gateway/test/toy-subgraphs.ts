// Three tiny subgraph modules (identity, honey-jars, chat) shaped like the real ones, for gateway tests that
// must not depend on the real subgraphs: in-memory rows, a fetch log, and a real in-process event bus.
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import pino from 'pino';
import {
  createEvent,
  EventTypes,
  ForbiddenError,
  InProcessEventBus,
  OutboxRelay,
  payloadFeed,
  type EventBus,
  type SubgraphModule,
  type SubgraphRuntime,
  type SubgraphName,
} from '@sting/kit';

const link =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@inaccessible"])';

export const users = [
  { id: 'u1', displayName: 'Alice', role: 'ADMIN', email: 'alice@example.com', token: 'alice-token' },
  { id: 'u2', displayName: 'Bob', role: 'MEMBER', email: 'bob@example.com', token: 'bob-token' },
] as const;

export const jars = Array.from({ length: 7 }, (_, i) => ({
  id: `j${i}`,
  name: `Jar ${i}`,
  ownerId: users[i % 2].id,
}));

function toy(name: SubgraphName, sdl: string, resolvers: SubgraphModule['resolvers']): SubgraphModule {
  return {
    name,
    dbSchema: name.replace('-', '_'),
    typeDefs: parse(sdl),
    resolvers,
    entities: [],
    migrationsPath: '/nonexistent',
    createLoaders: () => ({}),
  };
}

export function identityModule(extraField = ''): SubgraphModule {
  return toy(
    'identity',
    `${link}
     type Query { me: User sessionViewer(token: String!): SessionViewer @inaccessible ${extraField} }
     type SessionViewer { id: ID! role: String! email: String displayName: String sessionId: ID }
     type User @key(fields: "id") { id: ID! displayName: String! }`,
    {
      Query: {
        me: (_: unknown, __: unknown, ctx) =>
          ctx.viewer?.kind === 'user' ? users.find((u) => u.id === (ctx.viewer as { id: string }).id) : null,
        sessionViewer: (_: unknown, { token }: { token: string }, ctx) => {
          if (ctx.viewer?.kind !== 'system')
            throw new ForbiddenError('Only the gateway may resolve sessions');
          const user = users.find((u) => u.token === token);
          return user ? { ...user, sessionId: `session-of-${user.id}` } : null;
        },
        ...(extraField ? { [extraField.split(':')[0].trim()]: () => 'new' } : {}),
      },
      User: { __resolveReference: (ref: { id: string }) => users.find((u) => u.id === ref.id) },
    },
  );
}

export const honeyJarsModule = toy(
  'honey-jars',
  `${link}
   type Query { honeyJars: HoneyJarPage! }
   type HoneyJarPage { nodes: [HoneyJar!]! }
   type HoneyJar @key(fields: "id") { id: ID! name: String! owner: User! }
   type User @key(fields: "id", resolvable: false) { id: ID! }`,
  {
    Query: { honeyJars: () => ({ nodes: jars }) },
    HoneyJar: { owner: (jar: { ownerId: string }) => ({ __typename: 'User', id: jar.ownerId }) },
  },
);

export const messageTopic = (conversationId: string) => `chat.conversation.${conversationId}.message`;

export const chatModule = toy(
  'chat',
  `${link}
   type Query { ping: String }
   type Mutation { postMessage(conversationId: ID!, text: String!): Message! }
   type Subscription { messageAdded(conversationId: ID!): Message! }
   type Message { id: ID! text: String! author: User! }
   type User @key(fields: "id", resolvable: false) { id: ID! }`,
  {
    Query: { ping: () => 'pong' },
    Mutation: {
      postMessage: async (_: unknown, args: { conversationId: string; text: string }, ctx) => {
        if (ctx.viewer?.kind !== 'user') throw new ForbiddenError();
        const message = { id: `m${Date.now()}`, text: args.text, authorId: ctx.viewer.id };
        await ctx.bus.publish(
          messageTopic(args.conversationId),
          createEvent(EventTypes.chatMessageCreated, message, {
            source: 'chat',
            correlationId: ctx.requestId,
          }),
        );
        return message;
      },
    },
    Subscription: {
      messageAdded: {
        subscribe: async (_: unknown, args: { conversationId: string }, ctx) => {
          if (ctx.viewer?.kind !== 'user') throw new ForbiddenError('Sign in to follow a conversation');
          return payloadFeed(await ctx.bus.subscribe(messageTopic(args.conversationId)));
        },
        resolve: (message: unknown) => message,
      },
    },
    Message: { author: (m: { authorId: string }) => ({ __typename: 'User', id: m.authorId }) },
  },
);

export function toyRuntime(name: SubgraphName, bus: EventBus): SubgraphRuntime {
  // Toy resolvers keep their rows in memory; the entity manager is never used, so a fork is an empty object.
  const orm = { em: { fork: () => ({}) } } as unknown as SubgraphRuntime['orm'];
  // The relay is never started: toy resolvers publish straight to the bus.
  return {
    name,
    orm,
    bus,
    logger: pino({ level: 'silent' }),
    config: {},
    outbox: new OutboxRelay(orm, bus),
    stopHooks: [],
  };
}

export function newBus(): EventBus {
  return new InProcessEventBus();
}

export function composeSupergraph(
  modules: SubgraphModule[],
  urls: Partial<Record<SubgraphName, string>> = {},
): string {
  const result = composeServices(
    modules.map((m) => ({
      name: m.name,
      url: urls[m.name] ?? `http://${m.name}.invalid/graphql`,
      typeDefs: m.typeDefs,
    })),
  );
  if (result.errors) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.supergraphSdl;
}
