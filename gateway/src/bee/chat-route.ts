// POST /api/bee/chat, the route the original web app called: { message, conversation_id?, honey_jar_ids? }. It
// subscribes to the conversation's messageStream first (so no packet is missed), sends the message, then either
// answers the finished message as JSON or, with `Accept: text/event-stream`, forwards every packet as a server-sent
// event. A client that hangs up leaves the stream, which stops Bee's answer when it was the last one watching.
import type { ExecutionResult } from 'graphql';
import { BadUserInputError } from '@sting/kit/errors.ts';
import { isId } from '@sting/kit/ids.ts';
import { showsNothing } from '@sting/kit/names.ts';
import type { HttpRouteFactory } from '../http-routes.ts';
import type { HttpCall } from '../pipeline/http-route.ts';
import { unstorableText } from '../pipeline/input-checks.ts';
import { sendData, sendHttpError } from '../rest/respond.ts';
import { toRestNaming } from '../rest/naming.ts';
import { jsonOf } from '../rest/request-body.ts';
import { isEventStream } from '../topology/endpoint.ts';
import { operationFailure } from '../uploads/operation-errors.ts';

const CITATION = 'index chunkId page quote document { id title } honeyJar { id name }';
const STREAM = `subscription BeeChatStream($id: ID!) { messageStream(conversationId: $id) {
  __typename
  ... on MessageDelta { messageId text }
  ... on MessageCitation { messageId index citation { ${CITATION} } }
  ... on MessageCompleted { message { id text status citations { ${CITATION} } } }
  ... on MessageFailed { messageId code error: message requestId }
} }`;
// Untitled: chat names the conversation after its first message, on one line, as it names any other.
const START = 'mutation BeeChatStart { startConversation { id } }';
const DISCARD = 'mutation BeeChatDiscard($id: ID!) { deleteConversation(id: $id) }';
const SEND = `mutation BeeChatSend($id: ID!, $text: String!, $jars: [ID!]) {
  sendMessage(conversationId: $id, text: $text, honeyJarIds: $jars) { id }
}`;

interface ChatBody {
  message: string;
  conversationId?: string;
  honeyJarIds?: string[];
}

type Packet = { __typename: string; messageId?: string; message?: { id: string }; [key: string]: unknown };

function parseBody(raw: Buffer): ChatBody {
  const b = jsonOf(raw) as Record<string, unknown> | null;
  if (!b || typeof b !== 'object' || Array.isArray(b))
    throw new BadUserInputError('The body must be a JSON object');
  // Checked here as well as by chat, so that these refusals never start a conversation (the others are undone).
  if (typeof b.message !== 'string' || showsNothing(b.message))
    throw new BadUserInputError('message must be a non-empty string', 'message');
  const unstorable = unstorableText(b.message, 'message');
  if (unstorable) throw new BadUserInputError(unstorable, 'message');
  const conversationId = b.conversation_id ?? b.conversationId;
  if (conversationId !== undefined && conversationId !== null && typeof conversationId !== 'string')
    throw new BadUserInputError('conversation_id must be a string', 'conversation_id');
  const jars = b.honey_jar_ids ?? b.honeyJarIds;
  if (
    jars !== undefined &&
    jars !== null &&
    (!Array.isArray(jars) || !jars.every((j) => typeof j === 'string'))
  )
    throw new BadUserInputError('honey_jar_ids must be a list of ids', 'honey_jar_ids');
  if (Array.isArray(jars) && !jars.every(isId))
    throw new BadUserInputError('A honey jar id is not valid', 'honey_jar_ids');
  return {
    message: b.message,
    ...(conversationId ? { conversationId: conversationId as string } : {}),
    ...(jars ? { honeyJarIds: jars as string[] } : {}),
  };
}

async function run<T>(call: HttpCall, query: string, variables: Record<string, unknown>): Promise<T> {
  const result = await call.runOperation({ query, variables });
  if (result.errors?.length) throw operationFailure(result.errors);
  return result.data as T;
}

/**
 * Deletes a conversation this request started, best effort: the refusal that caused it is the answer either way.
 * It spends no rate limit, so a caller whose budget ran out between starting the conversation and sending the
 * message (refused with 429) is not left with an empty conversation.
 */
async function discard(call: HttpCall, id: string): Promise<void> {
  try {
    const result = await call.undoOperation({ query: DISCARD, variables: { id } });
    if (result.errors?.length) throw operationFailure(result.errors);
  } catch (err) {
    call.logger.warn(
      { err, conversationId: id },
      'could not delete the conversation started for a refused message',
    );
  }
}

export const beeChatRoute: HttpRouteFactory = ({ federation }) => ({
  name: 'bee.chat',
  method: 'POST',
  path: '/api/bee/chat',
  bodyLimitBytes: 64 * 1024,
  runsOperation: true,
  async handle(call) {
    const body = parseBody(await call.readBody());
    const chat = federation.endpoints.get('chat');
    if (!chat) throw new Error('this gateway has no chat subgraph');
    const conversationId =
      body.conversationId ??
      (await run<{ startConversation: { id: string } }>(call, START, {})).startConversation.id;
    // A conversation started here for a message chat then refuses (too long, a jar list it does not take, the
    // caller's rate limit spent) is deleted again before the refusal is answered, so a refused message never leaves
    // a new, empty one behind.
    const refused = async (err: unknown): Promise<never> => {
      if (!body.conversationId) await discard(call, conversationId);
      throw err;
    };
    // Chat owns every field of the packets, so its own subscription is the whole answer (no plan to run).
    const opened = await chat
      .subscribe({ query: STREAM, variables: { id: conversationId } }, call.context)
      .catch(refused);
    if (!isEventStream(opened)) return refused(operationFailure((opened as ExecutionResult).errors as never));
    const events = opened;
    let finished = false;
    call.req.on('close', () => void (finished || events.return(undefined)));
    try {
      await run(call, SEND, { id: conversationId, text: body.message, jars: body.honeyJarIds ?? null }).catch(
        refused,
      );
      call.audit.target = `conversation:${conversationId}`;
      const streaming = (call.req.headers.accept ?? '').includes('text/event-stream');
      if (streaming) {
        call.res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        call.res.write(
          `event: conversation\ndata: ${JSON.stringify({ conversation_id: conversationId })}\n\n`,
        );
      }
      // The answer to this message is the first one whose packets arrive after it was sent.
      let answerId: string | undefined;
      for await (const event of events) {
        if (event.errors?.length) throw operationFailure(event.errors);
        const packet = (event.data as { messageStream: Packet }).messageStream;
        const id = packet.messageId ?? packet.message?.id;
        // A packet of a kind this route does not select (a snapshot of an answer already being written) names none.
        if (!id) continue;
        answerId ??= id;
        if (id !== answerId) continue;
        if (streaming) {
          call.res.write(`event: ${packet.__typename}\ndata: ${JSON.stringify(toRestNaming(packet))}\n\n`);
        }
        if (packet.__typename === 'MessageCompleted') {
          finished = true;
          if (streaming) return void call.res.end();
          return sendData(call.res, 200, toRestNaming({ conversationId, message: packet.message }));
        }
        if (packet.__typename === 'MessageFailed') {
          finished = true;
          if (streaming) return void call.res.end();
          // Bee's own code (MODEL_TIMEOUT, MODEL_UNAVAILABLE, SEARCH_FAILED, ...) and its sentence, which names the
          // request id; never the model server's words. The model is upstream of us: 504 or 502.
          return sendHttpError(
            call.res,
            packet.code === 'MODEL_TIMEOUT' ? 504 : 502,
            { code: String(packet.code), message: String(packet.error) },
            call.requestId,
          );
        }
      }
      if (streaming && !call.res.writableEnded) call.res.end();
    } finally {
      finished = true;
      await events.return(undefined);
    }
  },
});
