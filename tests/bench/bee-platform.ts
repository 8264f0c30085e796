// What Bee's benchmarks run on: the real platform (embedded) with a private Chroma, its `bee` section set by the
// bench, a person with a jar of uploaded documents, and POST /api/bee/chat read as server-sent events with the
// time of each packet. Also the same provider called directly, with the prompt Bee would build, as the baseline.
import { join } from 'node:path';
import { startPlatform, type RunningPlatform } from '@sting/gateway';
import { createChatModel, type ChatConfig } from '@sting/llm/chat/index.ts';
import { buildPrompt } from '@sting/chat/domain/bee/prompt.ts';
import { selectPassages, type SearchHit } from '@sting/chat/domain/bee/retriever.ts';
import { wordPieces } from '@sting/chat/domain/bee/answer.ts';
import type { StingConfig } from '@sting/kit';
import { startChroma } from '@sting/ops/services/chroma.ts';
import { freePort } from '@sting/ops/services/readiness.ts';
import { startBenchStack, type BenchStack } from './bench-platform.ts';
import { graphql } from '../integration/platform.ts';
import { createJar, createPeople, uploadDocuments } from '../integration/bee-journey.ts';

const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);

export type BeeSettings = Partial<StingConfig['bee']>;

export interface StreamTiming {
  /** ms from sending to the first delta. */
  firstToken: number;
  /** ms from sending to the last packet. */
  total: number;
  /** Arrival times (ms from sending) of each token: a word; the words of one packet share its arrival time. */
  deltas: number[];
  text: string;
  citedDocuments: string[];
}

export interface BeeBench {
  url: string;
  token: string;
  jarId: string;
  upload(
    files: { name: string; title: string; text: string | Uint8Array; type?: string }[],
  ): Promise<string[]>;
  newConversation(): Promise<string>;
  /** One answer through the gateway (POST /api/bee/chat as server-sent events). */
  ask(question: string, conversationId: string): Promise<StreamTiming>;
  /** The same question answered by the provider directly, from the passages search gives this person. */
  askDirect(question: string, provider: ChatConfig): Promise<StreamTiming>;
  /** ms for knowledge's search alone through the gateway (the retrieval inside every answer). */
  timeSearch(question: string): Promise<number>;
  stop(): Promise<void>;
}

export async function startBeeBench(bee: BeeSettings): Promise<BeeBench> {
  const stack: BenchStack = await startBenchStack();
  const scratch = join(stack.config.root, '.data', 'bench-runs', `${process.pid}-bee-chroma`);
  const chroma = await startChroma({
    url: process.env.CHROMA_URL || undefined,
    port: await freePort(),
    dataDir: join(scratch, 'chroma'),
    logDir: join(scratch, 'logs'),
    cacheDir: join(stack.config.root, '.cache'),
    log: say,
  });
  const config = {
    ...stack.config,
    topology: 'embedded',
    // Every answer is computed: a cached one would measure Redis, not the provider. One person asks for every
    // stream at once here (100 conversations), past the answers a person is otherwise written at once.
    bee: { ...stack.config.bee, cacheTtlSeconds: 0, answersAtOncePerPerson: 100, ...bee },
  } as StingConfig;
  let platform: RunningPlatform;
  try {
    platform = await startPlatform(config, {
      databaseUrl: stack.databaseUrl,
      redisUrl: stack.redisUrl || undefined,
      chromaUrl: chroma.url,
    });
  } catch (err) {
    await chroma.stop();
    await stack.stop();
    throw err;
  }
  const { tokens } = await createPeople(platform.url, [['asker', 'MEMBER']]);
  const token = tokens.asker;
  const jarId = await createJar(platform.url, token, 'Bench jar', 'PRIVATE');

  const ask = async (question: string, conversationId: string): Promise<StreamTiming> => {
    const began = performance.now();
    const response = await fetch(new URL('/api/bee/chat', platform.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ message: question, conversation_id: conversationId }),
    });
    if (!response.ok || !response.body) throw new Error(`POST /api/bee/chat answered ${response.status}`);
    const deltas: number[] = [];
    let text = '';
    let cited: string[] = [];
    let pending = '';
    const decoder = new TextDecoder();
    for await (const bytes of response.body) {
      pending += decoder.decode(bytes, { stream: true });
      let end: number;
      while ((end = pending.indexOf('\n\n')) >= 0) {
        const block = pending.slice(0, end);
        pending = pending.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null');
        if (event === 'MessageDelta') {
          const at = performance.now() - began;
          for (let n = wordPieces(data.text).length; n > 0; n--) deltas.push(at);
          text += data.text;
        } else if (event === 'MessageCompleted') {
          cited = data.message.citations.map((c: { document: { id: string } }) => c.document.id);
        } else if (event === 'MessageFailed') throw new Error(`Bee failed: ${data.code}`);
      }
    }
    return {
      firstToken: deltas[0] ?? NaN,
      total: performance.now() - began,
      deltas,
      text,
      citedDocuments: cited,
    };
  };

  const SEARCH = `query ($q: String!) { search(query: $q, first: 12) { chunkId chunkVersion score text page
    document { id title } honeyJar { id name } } }`;
  const askDirect = async (question: string, provider: ChatConfig): Promise<StreamTiming> => {
    const found = await graphql(platform.url, SEARCH, { q: question }, token);
    const passages = selectPassages(found.data.search as SearchHit[], config.bee.retrieval);
    const model = createChatModel(provider);
    const began = performance.now();
    const deltas: number[] = [];
    let text = '';
    for await (const chunk of model.stream({
      messages: buildPrompt(question, passages, []),
      question,
      passages: passages.map((p) => ({ index: p.index, text: p.text, title: p.document.title })),
    })) {
      if (chunk.type !== 'delta') continue;
      deltas.push(performance.now() - began);
      text += chunk.text;
    }
    return {
      firstToken: deltas[0] ?? NaN,
      total: performance.now() - began,
      deltas,
      text,
      citedDocuments: [],
    };
  };

  return {
    url: platform.url,
    token,
    jarId,
    upload: (files) => uploadDocuments(platform.url, token, jarId, files),
    async newConversation() {
      const r = await graphql(platform.url, 'mutation { startConversation { id } }', {}, token);
      return r.data.startConversation.id as string;
    },
    ask,
    askDirect,
    async timeSearch(question) {
      const began = performance.now();
      await graphql(platform.url, SEARCH, { q: question }, token);
      return performance.now() - began;
    },
    async stop() {
      await platform.stop();
      await chroma.stop();
      await stack.stop();
    },
  };
}
