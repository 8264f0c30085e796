// Writes one of Bee's answers: retrieval as the person, the prompt, the model's stream (or the cache's, which streams
// the same way), packets on the conversation's stream topic, and the stored message in its final state. Runs after
// sendMessage returned; every outcome ends in exactly one MessageCompleted or MessageFailed packet, unless the run
// finds the answer is no longer its own (a regenerate took it over after its lease ran out): then it ends quietly.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { createEvent, enqueueEvent, EventTypes, Topics, type SubgraphRuntime } from '@sting/kit';
import { ChatModelError, type ChatTurn } from '@sting/llm/chat/index.ts';
import { Message } from '../../entities/conversation.ts';
import type { MessageView } from '../events.ts';
import type { MessageStatus } from '../message-role.ts';
import { toMessageView } from '../views.ts';
import { answerKey } from './answer-cache.ts';
import type { Bee, OnSnapshot } from './bee.ts';
import { newCitations, type StoredCitation } from './citations.ts';
import type { MessagePacket } from './packets.ts';
import { buildPrompt, estimateTokens, unmarked } from './prompt.ts';
import { selectPassages, type Passage, type RetrievalScope, type SearchHit } from './retriever.ts';

export const NOTHING_FOUND =
  "I couldn't find anything about this in the honey jars you can read, so I can't answer it from your documents.";

export interface AnswerJob {
  conversationId: string;
  messageId: string;
  ownerId: string;
  question: string;
  history: ChatTurn[];
  honeyJarIds: readonly string[] | null;
  scope: RetrievalScope;
  /** regenerate asks the model again rather than replaying the cached answer. */
  useCache: boolean;
  /** The search already started for this question (sendMessage starts it while it stores the messages). */
  retrieval?: Promise<SearchHit[]>;
  /** Whose access the answer is written with (cited-access.ts `askedAs`), stamped on its packets. */
  askedAs?: string;
  /** The message's generation this run was started with: the run owns the answer while it is still that one. */
  generation: number;
}

/** What a person is told when Bee could not answer: a code, a sentence and the request id; never the provider's text. */
const FAILURES: Record<string, string> = {
  MODEL_TIMEOUT: "Bee's model did not answer in time.",
  MODEL_UNAVAILABLE: "Bee's model could not be reached or failed while answering.",
  MODEL_REFUSED: "Bee's model refused the request (check bee.apiKey).",
  MODEL_BAD_RESPONSE: "Bee's model sent an answer Bee could not read.",
  SEARCH_FAILED: 'Searching your honey jars failed.',
  INTERNAL_SERVER_ERROR: 'Bee failed while answering.',
  INTERRUPTED: 'Bee stopped writing this answer: the process writing it stopped. Ask again or regenerate it.',
};

function failureCode(err: unknown): string {
  if (err instanceof ChatModelError) return `MODEL_${err.kind.toUpperCase()}`;
  if ((err as Error)?.name === 'RetrievalError') return 'SEARCH_FAILED';
  const code = (err as { code?: string })?.code;
  return typeof code === 'string' && ['FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND'].includes(code)
    ? code
    : 'INTERNAL_SERVER_ERROR';
}

/**
 * An answer's final state, in the transaction that stores it: the message for `messageAdded`, and on the fixed topic
 * for platform-wide listeners (Beeacon's history). Returns the message as the events carry it.
 */
export function enqueueStoredAnswer(
  tx: EntityManager,
  stored: MessageView,
  stamp: { source: string; correlationId?: string },
): MessageView & { createdAt: string } {
  const event = { ...stored, createdAt: new Date(stored.createdAt).toISOString() };
  const created = createEvent(EventTypes.chatMessageCreated, event, stamp);
  enqueueEvent(tx, Topics.chat.messageAdded(stored.conversationId), created);
  // The outbox wants each event's own id.
  enqueueEvent(tx, Topics.chat.messageCreated, { ...created, id: randomUUID() });
  return event;
}

/** Sends a packet on the conversation's answer stream; a failure is logged (the stored answer stays the truth). */
export function publishAnswerPacket(
  runtime: SubgraphRuntime,
  conversationId: string,
  packet: MessagePacket,
  stamp: { source: string; correlationId?: string },
  logger: Pick<SubgraphRuntime['logger'], 'error'> = runtime.logger,
): Promise<void> {
  return runtime.bus
    .publish(
      Topics.chat.answerStream(conversationId),
      createEvent(EventTypes.chatAnswerPacket, packet, stamp),
    )
    .catch((err: unknown) => logger.error({ err }, 'publishing an answer packet failed'));
}

/** The packet that ends an answer's stream in failure: what the person is told, with the request to quote. */
export function failedPacket(
  messageId: string,
  code: string,
  requestId: string,
  detail?: string,
): MessagePacket {
  return {
    __typename: 'MessageFailed',
    messageId,
    code,
    message: `${FAILURES[code] ?? detail ?? FAILURES.INTERNAL_SERVER_ERROR} (request ${requestId})`,
    requestId,
  };
}

/** Splits text into deltas the size a model sends (a word and the space before it). */
export const wordPieces = (text: string) => text.match(/\s*\S+/g) ?? [];

export async function writeAnswer(
  bee: Bee,
  runtime: SubgraphRuntime,
  job: AnswerJob,
  signal: AbortSignal,
  onSnapshot?: OnSnapshot,
) {
  const started = performance.now();
  const stamp = { source: runtime.name, correlationId: job.scope.requestId };
  const logger = runtime.logger.child({ requestId: job.scope.requestId, messageId: job.messageId });
  // False once storing finds the answer is no longer this run's (see finish): from then on it sends nothing.
  let owned = true;
  const publish = async (packet: MessagePacket) => {
    if (!owned) return;
    const stamped = { ...packet, askedAs: job.askedAs, generation: job.generation };
    await publishAnswerPacket(runtime, job.conversationId, stamped, stamp, logger);
  };
  let text = '';
  let firstTokenMs: number | null = null;
  let tokensIn = 0;
  let tokensOut = 0;
  let provider: string | null = bee.model.provider;
  let model: string | null = bee.model.model;
  const citations: StoredCitation[] = [];
  const cited = new Set<number>();
  let passages: Passage[] = [];

  // Packets are sent in order without the provider's stream waiting for the bus: reading the next token never
  // stalls behind a publish (measured in tests/bench/bee-streaming.bench.ts). One packet is in flight at a time;
  // deltas produced while it is published travel together as the next one, so a model faster than the bus (or a
  // bus slowed by load) costs fewer, larger packets instead of a growing queue of one-word ones.
  const queue: MessagePacket[] = [];
  let sending: Promise<void> = Promise.resolve();
  let pumping = false;
  const pump = async () => {
    for (let packet = queue.shift(); packet; packet = queue.shift()) await publish(packet);
    pumping = false;
  };
  const send = (packet: MessagePacket) => {
    const last = queue.at(-1);
    if (packet.__typename === 'MessageDelta' && last?.__typename === 'MessageDelta') {
      last.text += packet.text;
      return;
    }
    queue.push({ ...packet });
    if (!pumping) {
      pumping = true;
      sending = pump();
    }
  };
  // A stream opened after the answer began gets the text so far, in order with the deltas: those before the
  // snapshot are in it, those after follow it.
  onSnapshot?.(() =>
    send({
      __typename: 'MessageSnapshot',
      messageId: job.messageId,
      text,
      citations: [...citations].sort((a, b) => a.index - b.index),
    }),
  );
  // A regenerated answer starts from nothing: a stream still showing an earlier run's text, or deltas a writer that
  // outlived its lease sent after the regenerate, is set back to empty before this run's first delta.
  if (job.generation > 1)
    send({ __typename: 'MessageSnapshot', messageId: job.messageId, text: '', citations: [] });
  const emit = (piece: string) => {
    if (firstTokenMs === null) firstTokenMs = Math.round(performance.now() - started);
    text += piece;
    send({ __typename: 'MessageDelta', messageId: job.messageId, text: piece });
    // Only a closing bracket can complete a citation marker.
    if (!piece.includes(']')) return;
    for (const citation of newCitations(text, passages, cited)) {
      citations.push(citation);
      send({ __typename: 'MessageCitation', messageId: job.messageId, index: citation.index, citation });
    }
  };

  /**
   * Stores the answer in its final state. The final message (for messageAdded) and, for a finished answer,
   * `ai.analysis.complete` go to the outbox in the same transaction; the MessageCompleted packet follows the commit.
   * Stored only while this run owns the answer (still STREAMING, with this run's generation), in one conditional
   * statement: a run that outlived its lease finds it regenerated, ended as INTERRUPTED or deleted, changes nothing,
   * and stops quietly (null).
   */
  const finish = async (status: MessageStatus, errorCode: string | null, announce = true) => {
    const em = runtime.orm.em.fork({ clear: true, useContext: false });
    const view = await em.transactional(async (tx) => {
      const updated = await tx.nativeUpdate(
        Message,
        { id: job.messageId, generation: job.generation, status: 'STREAMING' },
        {
          text,
          status,
          citations: [...citations].sort((a, b) => a.index - b.index),
          sourceDocumentIds: [...new Set(passages.map((passage) => passage.document.id))],
          provider,
          model,
          tokensIn,
          tokensOut,
          timeToFirstTokenMs: firstTokenMs,
          totalTimeMs: Math.round(performance.now() - started),
          errorCode,
          leaseUntil: null,
        },
      );
      if (updated === 0) return null;
      const stored = toMessageView(await tx.findOneOrFail(Message, { id: job.messageId }));
      const event = enqueueStoredAnswer(tx, stored, stamp);
      if (status === 'COMPLETE') {
        enqueueEvent(
          tx,
          Topics.ai.analysisComplete,
          createEvent(EventTypes.aiAnalysisComplete, analysis(job, stored, passages.length), stamp),
        );
      }
      return event;
    });
    if (!view) {
      owned = false;
      logger.info(
        { generation: job.generation, status },
        'Bee stopped writing an answer that is no longer its own (regenerated, ended or deleted meanwhile)',
      );
      return null;
    }
    // Every delta and citation is on the bus before the packet that ends the stream.
    await sending;
    if (announce) await publish({ __typename: 'MessageCompleted', messageId: job.messageId, message: view });
    return view;
  };

  try {
    const hits = await (job.retrieval ??
      bee.retriever.search(job.question, job.honeyJarIds, bee.settings.retrieval.topK * 2, job.scope));
    signal.throwIfAborted();
    passages = selectPassages(hits, bee.settings.retrieval);
    if (passages.length === 0) {
      // Nothing the person may read is relevant: say so without asking the model, citing nothing.
      provider = null;
      model = null;
      for (const piece of wordPieces(NOTHING_FOUND)) emit(piece);
    } else {
      const messages = buildPrompt(job.question, passages, job.history);
      const key = answerKey({
        provider: bee.model.provider,
        model: bee.model.model,
        question: job.question,
        history: job.history,
        passages,
      });
      const cached = job.useCache && bee.cache ? await bee.cache.get(key).catch(() => null) : null;
      if (cached) {
        for (const piece of wordPieces(cached.text)) {
          signal.throwIfAborted();
          emit(piece);
        }
        ({ tokensIn, tokensOut } = cached);
      } else {
        const stream = bee.model.stream({
          messages,
          question: job.question,
          passages: passages.map((p) => ({
            index: p.index,
            text: unmarked(p.text),
            title: p.document.title,
          })),
          signal,
        });
        for await (const chunk of stream) {
          if (chunk.type === 'delta') emit(chunk.text);
          else {
            tokensIn = chunk.tokensIn ?? estimateTokens(messages.map((m) => m.content).join('\n'));
            tokensOut = chunk.tokensOut ?? estimateTokens(text);
          }
        }
        if (bee.cache)
          await bee.cache
            .set(key, { text, tokensIn, tokensOut })
            .catch((err: unknown) => logger.warn({ err }, 'caching an answer failed'));
      }
    }
    await finish('COMPLETE', null);
  } catch (err) {
    if (signal.aborted) {
      await finish('CANCELLED', null);
      return;
    }
    const code = failureCode(err);
    // The error (never its provider body: ChatModelError carries none) goes to the log through the Pollen Filter.
    logger.warn({ err, code }, 'Bee could not answer');
    await finish('FAILED', code, false).catch((e: unknown) =>
      logger.error({ err: e }, 'storing a failed answer failed'),
    );
    await sending;
    await publish(failedPacket(job.messageId, code, job.scope.requestId, (err as Error).message));
  }
}

/** The payload of `ai.analysis.complete` for an answer: its figures, never its text. */
function analysis(job: AnswerJob, view: MessageView, passageCount: number) {
  return {
    kind: 'bee.answer',
    conversationId: job.conversationId,
    messageId: job.messageId,
    userId: job.ownerId,
    provider: view.provider,
    model: view.model,
    tokensIn: view.tokensIn,
    tokensOut: view.tokensOut,
    timeToFirstTokenMs: view.timeToFirstTokenMs,
    totalTimeMs: view.totalTimeMs,
    passages: passageCount,
    citations: view.citations.length,
  };
}
