// What Bee's integration tests and benchmarks share: people and honey jars made through the platform's own APIs,
// documents uploaded over REST and waited for until READY, and a question asked and waited for until answered.
import { randomUUID } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ADMIN, graphql } from './platform.ts';

export const PASSWORD = 'a long enough password for tests';

export async function login(url: string, email: string, password = PASSWORD): Promise<string> {
  const r = await graphql(
    url,
    'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
    {
      e: email,
      p: password,
    },
  );
  if (!r.data?.login) throw new Error(`login failed: ${JSON.stringify(r.errors)}`);
  return r.data.login.token;
}

/** Signs in the admin and creates each named person with the role given; tokens and ids by name. */
export async function createPeople(url: string, people: readonly (readonly [string, 'MEMBER' | 'VIEWER'])[]) {
  const tokens: Record<string, string> = { admin: await login(url, ADMIN.email, ADMIN.password) };
  const ids: Record<string, string> = {};
  for (const [name, role] of people) {
    const email = `${name}-${randomUUID().slice(0, 8)}@example.com`;
    const created = await graphql(
      url,
      'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }',
      {
        i: { email, password: PASSWORD, displayName: name, role },
      },
      tokens.admin,
    );
    ids[name] = created.data.createUser.id;
    tokens[name] = await login(url, email);
  }
  return { tokens, ids };
}

export async function createJar(url: string, token: string, name: string, type: string): Promise<string> {
  const jar = await graphql(
    url,
    'mutation ($i: CreateHoneyJarInput!) { createHoneyJar(input: $i) { id } }',
    {
      i: { name, type },
    },
    token,
  );
  if (!jar.data?.createHoneyJar) throw new Error(`createHoneyJar failed: ${JSON.stringify(jar.errors)}`);
  return jar.data.createHoneyJar.id;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Uploads documents to a jar over REST (multipart) and waits until each is READY; their ids. */
export async function uploadDocuments(
  url: string,
  token: string,
  jarId: string,
  files: { name: string; text: string | Uint8Array; title: string; type?: string }[],
): Promise<string[]> {
  // knowledge learns of a new jar from honey-jars' events: until it has, the jar is unknown there (404).
  const response = await until(
    'the jar to reach knowledge',
    async () => {
      const body = new FormData();
      for (const f of files) {
        body.append('title', f.title);
        body.append('file', new Blob([f.text as BlobPart], { type: f.type ?? 'text/markdown' }), f.name);
      }
      const r = await fetch(new URL(`/api/v1/honey-pots/${jarId}/upload`, url), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body,
      });
      if (r.status !== 404) return r;
      await r.body?.cancel();
      return undefined;
    },
    10_000,
  );
  const uploaded = (await response.json()) as { data?: { id: string }[] };
  if (!uploaded.data) throw new Error(`upload failed: ${response.status} ${JSON.stringify(uploaded)}`);
  for (const { id } of uploaded.data) {
    await until(`document ${id} to be READY`, async () => {
      const r = await fetch(new URL(`/api/v1/documents/${id}`, url), {
        headers: { authorization: `Bearer ${token}` },
      });
      const status = ((await r.json()) as { data?: { processing_status?: string } }).data?.processing_status;
      if (status === 'FAILED') throw new Error(`document ${id} failed to ingest`);
      return status === 'READY' ? true : undefined;
    });
  }
  return uploaded.data.map((d) => d.id);
}

export interface Answer {
  id: string;
  status: string;
  text: string;
  errorCode: string | null;
  citations: {
    index: number;
    chunkId: string;
    quote: string;
    document: { id: string; title: string };
    honeyJar: { id: string; name: string };
  }[];
}

const MESSAGES = `query ($id: ID!) { conversation(id: $id) { messages(first: 500) { id role status text errorCode
  citations { index chunkId quote document { id title } honeyJar { id name } } } } }`;

/** Starts a conversation of the person's; its id. */
export async function startConversation(url: string, token: string): Promise<string> {
  const started = await graphql(url, 'mutation { startConversation { id } }', {}, token);
  return started.data.startConversation.id;
}

/** Asks Bee in the conversation (throws when the question is refused); Bee's answer follows. */
export async function sendMessage(
  url: string,
  token: string,
  conversationId: string,
  question: string,
  honeyJarIds?: string[],
): Promise<void> {
  const sent = await graphql(
    url,
    'mutation ($id: ID!, $t: String!, $j: [ID!]) { sendMessage(conversationId: $id, text: $t, honeyJarIds: $j) { id } }',
    { id: conversationId, t: question, j: honeyJarIds },
    token,
  );
  if (sent.errors) throw new Error(`sendMessage failed: ${JSON.stringify(sent.errors)}`);
}

/** Starts a conversation, asks, and waits for Bee's answer to leave STREAMING. */
export async function askBee(url: string, token: string, question: string, honeyJarIds?: string[]) {
  const conversationId = await startConversation(url, token);
  await sendMessage(url, token, conversationId, question, honeyJarIds);
  const answer = await until('the answer', async () => {
    const r = await graphql(url, MESSAGES, { id: conversationId }, token);
    const last = r.data?.conversation?.messages.at(-1);
    return last?.role === 'ASSISTANT' && last.status !== 'STREAMING' ? (last as Answer) : undefined;
  });
  return { conversationId, answer };
}

/**
 * A subscription over graphql-ws as `token`: the events' data under `field`, collected until `last` says one is the
 * last (then `done` resolves with them all); an error event rejects `done` with its errors.
 */
export function follow(
  url: string,
  token: string,
  request: { query: string; variables: Record<string, unknown> },
  field: string,
  last: (event: any) => boolean,
) {
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
  });
  const events: any[] = [];
  const done = new Promise<any[]>((resolve, reject) => {
    client.subscribe(request, {
      next: (result) => {
        if (result.errors)
          return reject(Object.assign(new Error(result.errors[0].message), { errors: result.errors }));
        events.push((result.data as any)[field]);
        if (last(events.at(-1))) resolve(events);
      },
      error: reject,
      complete: () => resolve(events),
    });
  });
  return { done, close: () => client.dispose() };
}

/** Whether a messageStream packet ends its answer's stream. */
export const endsAnswer = (packet: { __typename: string }) =>
  ['MessageCompleted', 'MessageFailed'].includes(packet.__typename);

export const MESSAGE_STREAM = `subscription ($id: ID!) { messageStream(conversationId: $id) { __typename
  ... on MessageDelta { messageId text }
  ... on MessageCitation { index citation { honeyJar { id } document { title } } }
  ... on MessageSnapshot { text }
  ... on MessageCompleted { message { id status text withheld citations { index } } }
  ... on MessageFailed { code error: message requestId } } }`;
const MESSAGE_ADDED = `subscription ($id: ID!) { messageAdded(conversationId: $id) {
  id role status text withheld citations { index quote honeyJar { id } } } }`;
const isAnswer = (message: { role: string }) => message.role === 'ASSISTANT';

/** What `token` receives of the conversation's next answer: on messageAdded, and its messageStream packets. */
export function watchNextAnswer(url: string, token: string, conversationId: string) {
  const variables = { id: conversationId };
  const added = follow(url, token, { query: MESSAGE_ADDED, variables }, 'messageAdded', isAnswer);
  const stream = follow(url, token, { query: MESSAGE_STREAM, variables }, 'messageStream', endsAnswer);
  return {
    async received(): Promise<{ added: any; packets: any[] }> {
      return { added: (await added.done).find(isAnswer), packets: await stream.done };
    },
    async close() {
      await added.close();
      await stream.close();
    },
  };
}

/** A new API key of the person's, with Bee's scope alone, restricted to the jars given; its secret. */
export async function createBeeKey(url: string, token: string, honeyJarIds: string[]): Promise<string> {
  const created = await graphql(
    url,
    'mutation ($i: CreateApiKeyInput!) { createApiKey(input: $i) { key } }',
    { i: { name: `Bee in ${honeyJarIds.length} jars`, scopes: ['bee:chat'], honeyJarIds } },
    token,
  );
  if (!created.data?.createApiKey) throw new Error(`createApiKey failed: ${JSON.stringify(created.errors)}`);
  return created.data.createApiKey.key;
}
