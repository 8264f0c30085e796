// Bee under test: a retriever over passages the test writes (with the jar filter search applies), a subscriber
// collecting messageStream packets until the answer ends, and the GraphQL calls the tests make.
import { randomUUID } from 'node:crypto';
import { parse, subscribe, validate, type ExecutionResult } from 'graphql';
import { createSubgraphContext, type Viewer } from '@sting/kit';
import { executeAs } from '@sting/kit/testing';
import { subgraph } from '../src/index.ts';
import type { RetrievalScope, Retriever, SearchHit } from '../src/domain/bee/retriever.ts';
import type { ChatHarness } from './harness.ts';

/** Hits as knowledge would return them for the jars the caller names (all of them when none are named). */
export class PassageRetriever implements Retriever {
  hits: SearchHit[] = [];
  calls: { query: string; honeyJarIds: readonly string[] | null; scope: RetrievalScope }[] = [];

  async search(query: string, honeyJarIds: readonly string[] | null, first: number, scope: RetrievalScope) {
    this.calls.push({ query, honeyJarIds, scope });
    return this.hits.filter((h) => !honeyJarIds || honeyJarIds.includes(h.honeyJar.id)).slice(0, first);
  }

  /** Documents the person may no longer read (tests remove access here), or null when knowledge is down. */
  unreadable: Set<string> | null = new Set();
  /** Documents a request with this delegated assertion may not read besides (an API key restricted to other jars). */
  unreadableAs = new Map<string, Set<string>>();

  async readableDocuments(documentIds: readonly string[], scope: RetrievalScope) {
    const unreadable = this.unreadable;
    if (!unreadable) throw new Error('knowledge is unreachable');
    const alsoUnreadable = this.unreadableAs.get(scope.delegatedIdentity ?? '') ?? new Set();
    return new Set(documentIds.filter((id) => !unreadable.has(id) && !alsoUnreadable.has(id)));
  }
}

export function buildHit(text: string, overrides: Partial<SearchHit> = {}): SearchHit {
  return {
    chunkId: randomUUID(),
    chunkVersion: 'v1',
    score: 0.5,
    text,
    page: 1,
    document: { id: randomUUID(), title: 'Apiary handbook' },
    honeyJar: { id: randomUUID(), name: 'Field notes' },
    ...overrides,
  };
}

const STREAM = parse(`subscription ($id: ID!) {
  messageStream(conversationId: $id) {
    __typename
    ... on MessageDelta { messageId text }
    ... on MessageCitation { messageId index citation { index chunkId page quote document { id title } honeyJar { id name } } }
    ... on MessageSnapshot { messageId text citations { index chunkId } }
    ... on MessageCompleted { message { id status text provider model tokensIn tokensOut timeToFirstTokenMs totalTimeMs citations { index chunkId document { id title } honeyJar { id name } } } }
    ... on MessageFailed { messageId code error: message requestId }
  }
}`);

export type Packet = Record<string, any> & { __typename: string };

export interface OpenStream {
  /** Packets until the first MessageCompleted or MessageFailed (then the subscription is left open). */
  untilEnd(): Promise<Packet[]>;
  /** The next packet. */
  next(): Promise<Packet>;
  close(): Promise<void>;
}

export async function openStream(
  chat: ChatHarness,
  viewer: Viewer | null,
  conversationId: string,
  /** The subscriber's delegated assertion, as the gateway hands it to the subscription's context. */
  delegatedIdentity?: string,
): Promise<OpenStream> {
  // subscribe() does not validate; the gateway does, so the operation must be valid as a client would send it.
  const invalid = validate(chat.schema, STREAM);
  if (invalid.length) throw new Error(invalid.map((e) => e.message).join('; '));
  const result = await subscribe({
    schema: chat.schema,
    document: STREAM,
    variableValues: { id: conversationId },
    contextValue: createSubgraphContext(subgraph, chat.runtime, {
      viewer,
      requestId: randomUUID(),
      ...(delegatedIdentity ? { delegatedIdentity } : {}),
    }),
  });
  if (!(Symbol.asyncIterator in result)) throw Object.assign(new Error('subscription refused'), { result });
  const feed = result as AsyncGenerator<ExecutionResult<any>>;
  const next = async () => {
    const item = await feed.next();
    if (item.done) throw new Error('the stream ended');
    if (item.value.errors) throw new Error(JSON.stringify(item.value.errors));
    return item.value.data.messageStream as Packet;
  };
  return {
    next,
    async untilEnd() {
      const packets: Packet[] = [];
      for (;;) {
        const packet = await next();
        packets.push(packet);
        if (packet.__typename === 'MessageCompleted' || packet.__typename === 'MessageFailed') return packets;
      }
    },
    async close() {
      await feed.return(undefined);
    },
  };
}

export const textOf = (packets: Packet[]) =>
  packets
    .filter((p) => p.__typename === 'MessageDelta')
    .map((p) => p.text)
    .join('');

export function ask(
  chat: ChatHarness,
  viewer: Viewer,
  conversationId: string,
  text: string,
  honeyJarIds?: string[] | null,
) {
  return executeAs<any>(
    chat.schema,
    subgraph,
    chat.runtime,
    viewer,
    `mutation ($id: ID!, $text: String!, $jars: [ID!]) { sendMessage(conversationId: $id, text: $text, honeyJarIds: $jars) { id } }`,
    { id: conversationId, text, jars: honeyJarIds },
  );
}

export const run = (
  chat: ChatHarness,
  viewer: Viewer | null,
  query: string,
  variables?: Record<string, unknown>,
  /** The caller's delegated assertion (PassageRetriever.unreadableAs tells knowledge's answer to it apart). */
  delegatedIdentity?: string,
) => executeAs<any>(chat.schema, subgraph, chat.runtime, viewer, query, variables, { delegatedIdentity });
