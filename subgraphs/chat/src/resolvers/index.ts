// Chat resolvers: parse arguments, call the domain, shape federation references. No decisions here.
import type { GraphQLResolverMap } from '@apollo/subgraph';
import { DateTimeScalar, type SubgraphContext } from '@sting/kit';
import type { ChatLoaders } from '../loaders.ts';
import type { ConversationView, MessageView } from '../domain/events.ts';
import {
  findConversation,
  findMessage,
  listConversations,
  listMessages,
  type MessagesArgs,
  startConversation,
  subscribeToMessages,
} from '../domain/conversations.ts';
import { beeFor } from '../domain/bee/bee.ts';
import { forgetAccessChecks, visibleAnswer } from '../domain/bee/cited-access.ts';
import { beeMutations, beeQueries, beeSubscriptions, beeTypes } from './bee.ts';

type Context = SubgraphContext<ChatLoaders>;

const user = (id: string | null) => (id ? { __typename: 'User', id } : null);

export const resolvers: GraphQLResolverMap<Context> = {
  DateTime: DateTimeScalar,
  Query: {
    conversations: (_root, args: { first?: number | null; after?: string | null }, ctx: Context) =>
      listConversations(ctx, args),
    conversation: (_root, args: { id: string }, ctx: Context) => findConversation(ctx, args.id),
    ...beeQueries,
  },
  Mutation: {
    startConversation: (_root, args: { title?: string | null }, ctx: Context) =>
      startConversation(ctx, args.title),
    ...beeMutations,
  },
  Subscription: {
    messageAdded: {
      subscribe: (_root: unknown, args: { conversationId: string }, ctx: Context) =>
        subscribeToMessages(ctx, args.conversationId),
      resolve: (event: MessageView, _args: unknown, ctx: Context) => {
        forgetAccessChecks(ctx);
        return event;
      },
    },
    ...beeSubscriptions,
  },
  ...beeTypes,
  Conversation: {
    __resolveReference: (ref: { id: string }, ctx: Context) => findConversation(ctx, ref.id),
    owner: (conversation: ConversationView) => user(conversation.ownerId),
    messages: (conversation: ConversationView, args: MessagesArgs, ctx: Context) =>
      listMessages(ctx, conversation, args),
    messageCount: (conversation: ConversationView, _args: unknown, ctx: Context) =>
      ctx.loaders.messageCount.load(conversation.id),
  },
  Message: {
    __resolveReference: (ref: { id: string }, ctx: Context) => findMessage(ctx, ref.id),
    author: (message: MessageView) => user(message.authorId),
    text: async (message: MessageView, _args: unknown, ctx: Context) =>
      (await visibleAnswer(ctx, beeFor(ctx.runtime).retriever, message)).text,
    citations: async (message: MessageView, _args: unknown, ctx: Context) =>
      (await visibleAnswer(ctx, beeFor(ctx.runtime).retriever, message)).citations,
    withheld: async (message: MessageView, _args: unknown, ctx: Context) =>
      (await visibleAnswer(ctx, beeFor(ctx.runtime).retriever, message)).withheld,
  },
};
