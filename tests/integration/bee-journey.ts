// What Bee's integration tests and benchmarks share: people and honey jars made through the platform's own APIs,
// documents uploaded over REST and waited for until READY, and a question asked and waited for until answered.
import { randomUUID } from 'node:crypto';
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

/** Starts a conversation, asks, and waits for Bee's answer to leave STREAMING. */
export async function askBee(url: string, token: string, question: string, honeyJarIds?: string[]) {
  const started = await graphql(url, 'mutation { startConversation { id } }', {}, token);
  const conversationId: string = started.data.startConversation.id;
  const sent = await graphql(
    url,
    'mutation ($id: ID!, $t: String!, $j: [ID!]) { sendMessage(conversationId: $id, text: $t, honeyJarIds: $j) { id } }',
    { id: conversationId, t: question, j: honeyJarIds },
    token,
  );
  if (sent.errors) throw new Error(`sendMessage failed: ${JSON.stringify(sent.errors)}`);
  const answer = await until('the answer', async () => {
    const r = await graphql(url, MESSAGES, { id: conversationId }, token);
    const last = r.data?.conversation?.messages.at(-1);
    return last?.role === 'ASSISTANT' && last.status !== 'STREAMING' ? (last as Answer) : undefined;
  });
  return { conversationId, answer };
}
