// Bee's side of a conversation: the answer each message starts, stopping and regenerating it, the live stream of
// packets, the conversation's own honey jar selection, renaming, deleting and exporting with citations.
import { randomUUID } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  lockUntilCommit,
  BadUserInputError,
  ErrorCode,
  ForbiddenError,
  inTransaction,
  keyJars,
  MAX_JAR_SELECTION,
  NotFoundError,
  payloadFeed,
  StingError,
  Topics,
  type SubgraphRuntime,
} from '@sting/kit';
import type { ChatTurn } from '@sting/llm/chat/index.ts';
import { Conversation, Message, type ConversationRow, type MessageRow } from '../entities/conversation.ts';
import { endAnswers, leaseFromNow } from './bee/abandoned.ts';
import { writeAnswer } from './bee/answer.ts';
import { beeFor } from './bee/bee.ts';
import { askedAs, followsAsker, markJustWritten, visibleAnswer } from './bee/cited-access.ts';
import type { MessagePacket } from './bee/packets.ts';
import { trimHistory } from './bee/prompt.ts';
import type { RetrievalScope, SearchHit } from './bee/retriever.ts';
import { sendMessage, type ChatScope } from './conversations.ts';
import type { ConversationView, MessageView } from './events.ts';
import { authorize, requireViewer, signedInUser } from './policies.ts';
import { conversationTitle, isId, messageText } from './validation.ts';
import { toConversationView, toMessageView } from './views.ts';

/** What Bee needs of the request beyond ChatScope: its id and the person's assertion for knowledge. */
export interface BeeScope extends ChatScope {
  requestId: string;
  delegatedIdentity?: string;
  runtime: SubgraphRuntime;
}

/** The jar selection to keep: null (every readable jar) or 1–100 distinct ids. */
export function jarSelection(ids: readonly string[] | null | undefined): string[] | null {
  if (ids === null || ids === undefined) return null;
  const unique = [...new Set(ids)];
  if (unique.length === 0 || unique.length > MAX_JAR_SELECTION)
    throw new BadUserInputError(
      `Choose between 1 and ${MAX_JAR_SELECTION} honey jars, or none for all`,
      'honeyJarIds',
    );
  if (!unique.every(isId)) throw new BadUserInputError('A honey jar id is not valid', 'honeyJarIds');
  return unique;
}

/** Whether two selections keep the same jars, in any order (null: every readable jar). */
function sameSelection(a: readonly string[] | null, b: readonly string[] | null | undefined): boolean {
  if (a === null || !b) return a === null && !b;
  return a.length === b.length && a.every((id) => b.includes(id));
}

async function ownConversation(
  scope: ChatScope,
  id: string,
  action: 'read' | 'send',
): Promise<ConversationRow> {
  requireViewer(scope.viewer);
  const row = isId(id) ? await scope.em.findOne(Conversation, { id }) : null;
  if (!row) throw new NotFoundError('Conversation', id);
  authorize(scope.viewer, action, row);
  return row;
}

/**
 * A key restricted to some honey jars reads less than its person: an answer drawn from another jar is withheld from
 * it. Such a key may change a conversation (regenerate or stop an answer, rename it, change its jars, delete it)
 * only while it may read every answer in it, so it never rewrites with its narrower access, or deletes, what it
 * cannot see. An answer still being written has no sources stored yet: it counts as readable only when it is
 * written with the key's own access (the key follows it live). Access that cannot be checked right now refuses
 * the change too (SERVICE_UNAVAILABLE). A session, or a key restricted to no jar, reads all its person may.
 */
async function ensureKeyMayChange(scope: BeeScope, conversationId: string): Promise<void> {
  if (keyJars(scope.viewer) === undefined) return;
  // Only what the check needs, kept out of the request's identity map, where a partly loaded row would stay.
  const answers = await scope.em.find(
    Message,
    { conversation: conversationId, role: 'ASSISTANT' },
    { fields: ['status', 'askedAs', 'citations', 'sourceDocumentIds'], disableIdentityMap: true },
  );
  const { retriever } = beeFor(scope.runtime);
  const withheld = await Promise.all(
    answers.map(async (answer) => {
      if (answer.status === 'STREAMING')
        return followsAsker(scope.viewer, answer.askedAs ?? undefined) ? null : 'NO_ACCESS';
      const citations = Array.isArray(answer.citations) ? answer.citations : [];
      const sources = Array.isArray(answer.sourceDocumentIds) ? answer.sourceDocumentIds : [];
      return (await visibleAnswer(scope, retriever, { text: '', citations, sources })).withheld;
    }),
  );
  if (withheld.includes('NO_ACCESS'))
    throw new ForbiddenError(
      'This API key is limited to some honey jars, and this conversation holds an answer the key may not read: ' +
        'only a session, or a key that may read every answer in it, may change or delete it',
    );
  if (withheld.includes('UNCHECKED'))
    throw new StingError(
      ErrorCode.SERVICE_UNAVAILABLE,
      'Whether this API key may read every answer in this conversation could not be checked just now; try again shortly',
      { service: 'knowledge' },
    );
}

/** The conversation's earlier finished turns, oldest first, for the prompt's history. */
async function historyBefore(
  scope: BeeScope,
  conversationId: string,
  before: Date,
  exclude: string[],
): Promise<ChatTurn[]> {
  const rows = await scope.em.find(
    Message,
    {
      conversation: conversationId,
      createdAt: { $lte: before },
      id: { $nin: exclude },
      status: 'COMPLETE',
      role: { $in: ['USER', 'ASSISTANT'] },
    },
    { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 40 },
  );
  // Earlier answers go back to the model only as this asker may read them now: one that quotes a document they
  // lost (or their key does not reach) is its withheld text there too, or the model could repeat the passage.
  const { retriever } = beeFor(scope.runtime);
  return Promise.all(
    rows.reverse().map(async (m): Promise<ChatTurn> => {
      if (m.role === 'USER') return { role: 'user', content: m.text };
      const visible = await visibleAnswer(scope, retriever, toMessageView(m));
      return { role: 'assistant', content: visible.text };
    }),
  );
}

const retrievalScope = (scope: BeeScope): RetrievalScope => ({
  requestId: scope.requestId,
  delegatedIdentity: scope.delegatedIdentity,
});

function startAnswer(
  scope: BeeScope,
  conversation: ConversationRow,
  question: MessageView,
  answerId: string,
  generation: number,
  history: ChatTurn[],
  honeyJarIds: string[] | null,
  useCache: boolean,
  retrieval?: Promise<SearchHit[]>,
) {
  const bee = beeFor(scope.runtime);
  bee.track(answerId, conversation.id, generation, (signal, onSnapshot) =>
    writeAnswer(
      bee,
      scope.runtime,
      {
        conversationId: conversation.id,
        messageId: answerId,
        ownerId: conversation.ownerId,
        question: question.text,
        history,
        honeyJarIds,
        scope: retrievalScope(scope),
        useCache,
        retrieval,
        askedAs: askedAs(scope.viewer),
        generation,
      },
      signal,
      onSnapshot,
    ),
  );
}

/**
 * Stores the person's message, then Bee's answer as STREAMING and starts writing it. Jars given here become the
 * conversation's selection; none given uses the selection kept (or every jar the person may read).
 */
/** How long a person told to wait for one of their answers is asked to wait before asking again. */
const ANSWER_WAIT_SECONDS = 5;

/** The lock one person's answers are counted and started under, held until the transaction ends. */
const lockAnswersOf = (em: EntityManager, ownerId: string) =>
  lockUntilCommit(em, 'sting.chat.answers', ownerId);

/**
 * Refuses one more answer for `ownerId` while Bee writes `limit` of theirs already (RATE_LIMITED, asking them to
 * wait a few seconds): one person's burst of questions cannot take the model server from everyone else. Counted
 * under the person's lock in the transaction that stores the answer, so questions sent at once are counted one
 * after another, on every replica; an answer whose lease has run out (its process gone) does not count.
 */
async function ensureRoomForAnswer(em: EntityManager, ownerId: string, limit: number): Promise<void> {
  await lockAnswersOf(em, ownerId);
  const writing = await em.count(Message, {
    role: 'ASSISTANT',
    status: 'STREAMING',
    leaseUntil: { $gt: new Date() },
    conversation: { ownerId },
  });
  if (writing >= limit)
    throw new StingError(
      ErrorCode.RATE_LIMITED,
      `Bee is already writing ${limit} answers for you: wait for one to finish, or stop one, then ask again`,
      { retryAfterSeconds: ANSWER_WAIT_SECONDS },
    );
}

export async function sendMessageToBee(
  scope: BeeScope,
  conversationId: string,
  text: string,
  honeyJarIds: readonly string[] | null | undefined,
): Promise<MessageView> {
  const jars = jarSelection(honeyJarIds);
  messageText(text);
  const conversation = await ownConversation(scope, conversationId, 'send');
  // Jars given here replace the conversation's selection: as setConversationHoneyJars does, only for a viewer who
  // may change the conversation. Asking without them (or with the selection it has) changes nothing but adds a turn.
  if (jars && !sameSelection(jars, conversation.honeyJarIds))
    await ensureKeyMayChange(scope, conversation.id);
  if (jars) conversation.honeyJarIds = jars;
  // Retrieval needs nothing that is written below, so it runs while the messages are stored: the first token
  // comes sooner by the time of those writes.
  const bee = beeFor(scope.runtime);
  const retrieval = bee.retriever.search(
    text,
    conversation.honeyJarIds ?? null,
    bee.settings.retrieval.topK * 2,
    retrievalScope(scope),
  );
  retrieval.catch(() => undefined); // reported by the answer that awaits it
  // The answer is stored (STREAMING) in the question's transaction: one commit for the turn.
  const answerId = randomUUID();
  const question = await sendMessage(scope, conversationId, text, async (em, turn, asked) => {
    await ensureRoomForAnswer(em, turn.ownerId, bee.settings.answersAtOncePerPerson);
    if (jars) turn.honeyJarIds = jars;
    em.create(Message, {
      id: answerId,
      conversation: turn,
      role: 'ASSISTANT',
      text: '',
      authorId: null,
      status: 'STREAMING',
      leaseUntil: leaseFromNow(),
      askedAs: askedAs(scope.viewer) ?? null,
      replyToId: asked.id,
      createdAt: new Date(asked.createdAt.getTime() + 1),
    });
  });
  const history = trimHistory(
    await historyBefore(scope, conversationId, new Date(question.createdAt), [question.id, answerId]),
    bee.settings.historyTokens,
  );
  startAnswer(
    scope,
    conversation,
    question,
    answerId,
    1,
    history,
    conversation.honeyJarIds ?? null,
    true,
    retrieval,
  );
  return question;
}

async function ownAnswer(scope: ChatScope, messageId: string) {
  requireViewer(scope.viewer);
  const row = isId(messageId)
    ? await scope.em.findOne(Message, { id: messageId }, { populate: ['conversation'] })
    : null;
  // Another person's message is missing to this viewer, with the same words as one that does not exist: naming
  // its conversation instead would confirm that it exists, and say where.
  if (!row) throw new NotFoundError('Message', messageId);
  try {
    authorize(scope.viewer, 'send', row.conversation);
  } catch (err) {
    if (err instanceof NotFoundError) throw new NotFoundError('Message', messageId);
    throw err;
  }
  if (row.role !== 'ASSISTANT')
    throw new BadUserInputError("Only Bee's answers can be stopped or regenerated", 'messageId');
  return row;
}

/**
 * Cancels an answer being written; it is kept as CANCELLED with the text it had. One that no replica is writing
 * (its process stopped mid-answer: none stored it CANCELLED when told to stop) is ended here as FAILED
 * (INTERRUPTED), with what it had, so it does not show as being written for ever.
 */
export async function stopGenerating(scope: BeeScope, messageId: string): Promise<MessageView> {
  const row = await ownAnswer(scope, messageId);
  await ensureKeyMayChange(scope, row.conversation.id);
  if (!(await beeFor(scope.runtime).stop(row.id, row.generation))) {
    await untilNotStreaming(scope, row);
    // Nobody stored it as stopped: its writer is gone, whether or not its lease has run out yet.
    if (row.status === 'STREAMING') await endAnswers(scope.runtime, scope.requestId, { id: row.id });
  }
  await scope.em.refresh(row);
  return toMessageView(row);
}

/** Another replica writes the answer: give it a moment to store it as CANCELLED (it stays as it is otherwise). */
async function untilNotStreaming(scope: BeeScope, row: MessageRow, waitMs = 3000): Promise<void> {
  const until = Date.now() + waitMs;
  await scope.em.refresh(row);
  while (row.status === 'STREAMING' && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    await scope.em.refresh(row);
  }
}

/** An answer some process is writing now: STREAMING, and its writer's lease has not run out. */
const beingWritten = (row: MessageRow, now = new Date()) =>
  row.status === 'STREAMING' && !!row.leaseUntil && row.leaseUntil > now;

/**
 * Answers the same question again into the same message (the model is asked anew, not the cache). One writer per
 * message: an answer still being written (a first answer, or a regenerate in progress) is refused rather than
 * restarted, and is stopped with stopGenerating first. Checked, counted against the person's answers at once and
 * stored as STREAMING under the lock the count uses, so regenerates sent at once start one writer between them.
 */
export async function regenerate(scope: BeeScope, messageId: string): Promise<MessageView> {
  const row = await ownAnswer(scope, messageId);
  // Regenerated with the viewer's access: a key limited to other jars would replace an answer it may not read
  // with whatever it finds, and the answer its person had would be lost.
  await ensureKeyMayChange(scope, row.conversation.id);
  const bee = beeFor(scope.runtime);
  const question = row.replyToId ? await scope.em.findOne(Message, { id: row.replyToId }) : null;
  if (!question) throw new BadUserInputError('This answer has no question to answer again', 'messageId');
  const ownerId = row.conversation.ownerId;
  await inTransaction(scope.em, async () => {
    await lockAnswersOf(scope.em, ownerId);
    await scope.em.refresh(row);
    if (beingWritten(row))
      throw new BadUserInputError(
        'Bee is still writing this answer: stop it, or wait for it to finish, then regenerate it',
        'messageId',
      );
    // Its writer here may still be sending its last packet, or have outlived its lease: it ends first.
    if (bee.isRunning(row.id)) await bee.stop(row.id);
    // A writer elsewhere that outlived its lease may be storing its end: locked until the commit, the answer is
    // read after that store or taken over before it (then that store finds another generation and changes nothing).
    await scope.em.refresh(row, { lockMode: LockMode.PESSIMISTIC_WRITE });
    await ensureRoomForAnswer(scope.em, ownerId, bee.settings.answersAtOncePerPerson);
    Object.assign(row, {
      // A new run owns the answer: whatever an earlier one still tries to store or send is refused.
      generation: row.generation + 1,
      text: '',
      status: 'STREAMING',
      leaseUntil: leaseFromNow(),
      askedAs: askedAs(scope.viewer) ?? null,
      citations: [],
      errorCode: null,
      tokensIn: null,
      tokensOut: null,
      timeToFirstTokenMs: null,
      totalTimeMs: null,
    });
  });
  const history = trimHistory(
    await historyBefore(scope, row.conversation.id, question.createdAt, [question.id, row.id]),
    bee.settings.historyTokens,
  );
  startAnswer(
    scope,
    row.conversation,
    toMessageView(question),
    row.id,
    row.generation,
    history,
    row.conversation.honeyJarIds ?? null,
    false,
  );
  return toMessageView(row);
}

/**
 * The packets of every answer written in the conversation from now on; only for its owner. An answer written with
 * access the subscriber does not have (asked in a session, watched with a key restricted to some jars) is not
 * followed as it is written: its deltas, citations and snapshots are left out, and its final message is checked
 * as a read of it is. Decided once per asker's access, not per packet. A packet of an earlier run of an answer than
 * one the stream knows (the message's generation: a writer that outlived its lease after a regenerate took the
 * answer over) is not passed on.
 */
export async function subscribeToStream(scope: BeeScope, conversationId: string) {
  const user = signedInUser(scope.viewer);
  const conversation = await ownConversation(scope, conversationId, 'read');
  if (conversation.ownerId !== user.id) throw new NotFoundError('Conversation', conversationId);
  const bee = beeFor(scope.runtime);
  const follows = new Map<string | undefined, boolean>();
  const subscription = await scope.bus.subscribe<MessagePacket>(Topics.chat.answerStream(conversationId));
  // The newest run of each answer this stream knows: once subscribed, the stored run of every regenerated answer
  // (only those can have an earlier run still writing), then each newer run as its packets arrive.
  const newest = new Map<string, number>();
  const regenerated = await scope.em
    .find(
      Message,
      { conversation: conversation.id, generation: { $gt: 1 } },
      { fields: ['id', 'generation'] },
    )
    .catch(async (err: unknown) => {
      await subscription.return();
      throw err;
    });
  for (const answer of regenerated) newest.set(answer.id, answer.generation);
  const feed = payloadFeed(subscription, (packet) => {
    if (packet.generation !== undefined) {
      if (packet.generation < (newest.get(packet.messageId) ?? 0)) return false;
      newest.set(packet.messageId, packet.generation);
    }
    if (packet.__typename === 'MessageFailed') return true;
    let follow = follows.get(packet.askedAs);
    if (follow === undefined) follows.set(packet.askedAs, (follow = followsAsker(user, packet.askedAs)));
    if (packet.__typename !== 'MessageCompleted') return follow;
    if (follow) markJustWritten(packet.message);
    return true;
  });
  await bee.subscriberJoined(conversationId);
  // Subscribed first, so the text so far and every delta after it arrive.
  await bee
    .requestSnapshots(conversationId)
    .catch((err: unknown) => scope.logger.warn({ err }, 'could not ask for the answers so far'));
  let left = false;
  const leave = () => {
    if (!left)
      bee
        .subscriberLeft(conversationId)
        .catch((err: unknown) => scope.logger.warn({ err }, 'could not count a watcher leaving'));
    left = true;
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      const item = await feed.next();
      if (item.done) leave();
      return item;
    },
    async return() {
      leave();
      return feed.return();
    },
  };
}

export async function renameConversation(
  scope: BeeScope,
  id: string,
  title: string,
): Promise<ConversationView> {
  const row = await ownConversation(scope, id, 'send');
  const renamed = conversationTitle(title);
  await ensureKeyMayChange(scope, row.id);
  row.title = renamed;
  await scope.em.flush();
  return toConversationView(row);
}

export async function setConversationJars(
  scope: BeeScope,
  id: string,
  ids: readonly string[] | null,
): Promise<ConversationView> {
  const row = await ownConversation(scope, id, 'send');
  const jars = jarSelection(ids);
  if (!sameSelection(jars, row.honeyJarIds)) await ensureKeyMayChange(scope, row.id);
  row.honeyJarIds = jars;
  await scope.em.flush();
  return toConversationView(row);
}

/** Deletes the conversation and its messages; answers being written stop first. */
export async function deleteConversation(scope: BeeScope, id: string): Promise<boolean> {
  const row = await ownConversation(scope, id, 'send');
  await ensureKeyMayChange(scope, row.id);
  const bee = beeFor(scope.runtime);
  const answers = await scope.em.find(Message, { conversation: row.id, status: 'STREAMING' });
  for (const answer of answers) await bee.stop(answer.id, answer.generation);
  await scope.em.nativeDelete(Message, { conversation: row.id });
  await scope.em.nativeDelete(Conversation, { id: row.id });
  return true;
}
