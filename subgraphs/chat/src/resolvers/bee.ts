// Resolvers of Bee's answers: sending to Bee, stopping, regenerating, the packet stream, conversation upkeep.
import type { GraphQLResolveInfo } from 'graphql';
import { BadUserInputError, collectFields, NotFoundError, type SubgraphContext } from '@sting/kit';
import { Conversation } from '../entities/conversation.ts';
import type { ChatLoaders } from '../loaders.ts';
import {
  deleteConversation,
  regenerate,
  renameConversation,
  sendMessageToBee,
  setConversationJars,
  stopGenerating,
  subscribeToStream,
} from '../domain/answers.ts';
import type { MessagePacket } from '../domain/bee/packets.ts';
import { beeFor } from '../domain/bee/bee.ts';
import { forgetAccessChecks, visibleAnswer } from '../domain/bee/cited-access.ts';
import { exportConversation, type ExportFormat } from '../domain/exports.ts';
import { authorize, requireViewer } from '../domain/policies.ts';
import { isId } from '../domain/validation.ts';

type Context = SubgraphContext<ChatLoaders>;

export const beeMutations = {
  sendMessage: (
    _root: unknown,
    args: { conversationId: string; text: string; honeyJarIds?: string[] | null },
    ctx: Context,
  ) => sendMessageToBee(ctx, args.conversationId, args.text, args.honeyJarIds),
  stopGenerating: (_root: unknown, args: { messageId: string }, ctx: Context) =>
    stopGenerating(ctx, args.messageId),
  regenerate: (_root: unknown, args: { messageId: string }, ctx: Context) => regenerate(ctx, args.messageId),
  renameConversation: (_root: unknown, args: { id: string; title: string }, ctx: Context) =>
    renameConversation(ctx, args.id, args.title),
  setConversationHoneyJars: (
    _root: unknown,
    args: { id: string; honeyJarIds?: string[] | null },
    ctx: Context,
  ) => setConversationJars(ctx, args.id, args.honeyJarIds ?? null),
  deleteConversation: (_root: unknown, args: { id: string }, ctx: Context) =>
    deleteConversation(ctx, args.id),
};

/**
 * How many times the operation asks for `field` at its root, through fragments and aliases, as it will execute. An
 * export reads and writes out a whole conversation (megabytes for a long one); aliases let one cheap request ask
 * for it many times over.
 */
function rootSelections(info: GraphQLResolveInfo, field: string): number {
  const fragments = new Map(Object.entries(info.fragments));
  return collectFields(info.operation.selectionSet, fragments, info.variableValues).filter(
    (selected) => selected.name.value === field,
  ).length;
}

/** Enough for one conversation in both formats. */
const EXPORTS_PER_OPERATION = 2;

export const beeQueries = {
  exportConversation: async (
    _root: unknown,
    args: { id: string; format: ExportFormat },
    ctx: Context,
    info: GraphQLResolveInfo,
  ) => {
    requireViewer(ctx.viewer);
    if (rootSelections(info, 'exportConversation') > EXPORTS_PER_OPERATION)
      throw new BadUserInputError(
        `At most ${EXPORTS_PER_OPERATION} exports per request (one conversation in both formats)`,
        'exportConversation',
      );
    const row = isId(args.id) ? await ctx.em.findOne(Conversation, { id: args.id }) : null;
    if (!row) throw new NotFoundError('Conversation', args.id);
    authorize(ctx.viewer, 'send', row);
    return exportConversation(ctx.em, row, args.format, (message) =>
      visibleAnswer(ctx, beeFor(ctx.runtime).retriever, message),
    );
  },
};

export const beeSubscriptions = {
  messageStream: {
    subscribe: (_root: unknown, args: { conversationId: string }, ctx: Context) =>
      subscribeToStream(ctx, args.conversationId),
    resolve: (packet: MessagePacket, _args: unknown, ctx: Context) => {
      forgetAccessChecks(ctx);
      return packet;
    },
  },
};

export const beeTypes = {
  MessageStreamPacket: {
    __resolveType: (packet: MessagePacket) => packet.__typename,
  },
};
