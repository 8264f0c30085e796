// Access taken away applies at once to a jar's single documents and to its live status feed. Knowledge decides
// from its read model of jar access, which follows honey-jars' events a moment behind; the moment is held open
// here by writing a removed membership back into the read model (as if its event were still on its way), and a
// single document, its passages and its download must still be refused, as honey-jars already knows. A deleted
// jar sends no more document events, so its open status feeds must end on the deletion itself.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import pg from 'pg';
import { ADMIN, graphql, signIn, startIntegrationPlatform, type IntegrationPlatform } from './platform.ts';
import { waitFor } from '@sting/kit/testing';

const PASSWORD = 'a long enough password for tests';
let it_: IntegrationPlatform;
let db: pg.Client;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};

const gql = (token: string, query: string, variables?: Record<string, unknown>) =>
  graphql(it_.url, query, variables, token);

const get = (path: string, token: string) =>
  fetch(new URL(path, it_.url), { headers: { authorization: `Bearer ${token}` } });

async function teamJarWithMember(): Promise<string> {
  const made = await gql(
    tokens.owner,
    'mutation ($i: CreateHoneyJarInput!) { createHoneyJar(input: $i) { id } }',
    { i: { name: `Revoked ${randomUUID().slice(0, 6)}`, type: 'TEAM' } },
  );
  const jar = made.data.createHoneyJar.id as string;
  await gql(
    tokens.owner,
    'mutation ($j: ID!, $u: ID!) { addHoneyJarMember(honeyJarId: $j, userId: $u) { id } }',
    {
      j: jar,
      u: ids.member,
    },
  );
  await waitFor(async () => (await get(`/api/v1/honey-pots/${jar}/documents`, tokens.member)).status === 200);
  return jar;
}

beforeAll(async () => {
  it_ = await startIntegrationPlatform('embedded', { chromaUrl: process.env.CHROMA_URL });
  db = new pg.Client({ connectionString: it_.databaseUrl });
  await db.connect();
  tokens.admin = await signIn(it_.url, ADMIN.email, ADMIN.password);
  for (const name of ['owner', 'member']) {
    const email = `${name}-${randomUUID().slice(0, 8)}@example.com`;
    const made = await gql(tokens.admin, 'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }', {
      i: { email, password: PASSWORD, displayName: name, role: 'MEMBER' },
    });
    ids[name] = made.data.createUser.id;
    tokens[name] = await signIn(it_.url, email, PASSWORD);
  }
}, 60_000);

afterAll(async () => {
  await db?.end();
  await it_?.stop();
});

describe('access taken away', () => {
  it('refuses a single document, its passages and its download while the read model still lets the person in', async () => {
    const jar = await teamJarWithMember();
    const body = new FormData();
    body.append('file', new Blob([`Revocation secret ${randomUUID()}`]), 'secret.txt');
    const uploaded = await fetch(new URL(`/api/v1/honey-pots/${jar}/upload`, it_.url), {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.owner}` },
      body,
    });
    const documentId = ((await uploaded.json()) as { data: { id: string }[] }).data[0].id;
    await waitFor(async () => {
      const r = (await (await get(`/api/v1/documents/${documentId}`, tokens.member)).json()) as {
        data?: { processing_status: string };
      };
      return r.data?.processing_status === 'READY';
    }, 30_000);
    const read = () =>
      gql(
        tokens.member,
        'query ($id: ID!) { document(id: $id) { id chunks(first: 5) { nodes { text } } } }',
        {
          id: documentId,
        },
      );
    expect((await read()).data.document.chunks.nodes).toHaveLength(1);

    await gql(
      tokens.owner,
      'mutation ($j: ID!, $u: ID!) { removeHoneyJarMember(honeyJarId: $j, userId: $u) { id } }',
      {
        j: jar,
        u: ids.member,
      },
    );
    const membership = async () =>
      (
        await db.query(
          'select present from knowledge.jar_access_member where honey_jar_id = $1 and user_id = $2',
          [jar, ids.member],
        )
      ).rows[0]?.present as boolean | undefined;
    await waitFor(async () => (await membership()) === false);
    // The removal's event, as if still on its way: the read model says member again.
    await db.query(
      'update knowledge.jar_access_member set present = true where honey_jar_id = $1 and user_id = $2',
      [jar, ids.member],
    );
    expect(await membership()).toBe(true);

    const after = await read();
    expect(after.errors).toBeUndefined();
    expect(after.data.document).toBeNull();
    expect((await get(`/api/v1/documents/${documentId}`, tokens.member)).status).toBe(404);
    const download = await get(`/api/v1/documents/${documentId}/download`, tokens.member);
    expect(download.status).toBe(404);
    expect(await download.text()).not.toContain('Revocation secret');
    // The owner, whom honey-jars still lets in, is not held back by the check.
    expect((await get(`/api/v1/documents/${documentId}/download`, tokens.owner)).status).toBe(200);
  }, 60_000);

  it('ends every open status feed of a jar when the jar is deleted, with no document event after it', async () => {
    const jar = await teamJarWithMember();
    const feeds = ['owner', 'member'].map((name) => {
      const feed = { ended: false, errors: [] as string[], dispose: () => Promise.resolve() };
      const client = createClient({
        url: it_.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${tokens[name]}` },
        retryAttempts: 0,
      });
      feed.dispose = () => client.dispose() as Promise<void>;
      client.subscribe(
        {
          query: 'subscription ($j: ID!) { documentStatusChanged(honeyJarId: $j) { id } }',
          variables: { j: jar },
        },
        {
          next: (event) => void (event.errors && feed.errors.push(event.errors[0].message)),
          error: (err) => feed.errors.push(String(err)),
          complete: () => (feed.ended = true),
        },
      );
      return feed;
    });
    try {
      // Both subscribed before the deletion (an event published before a subscription began would not reach it).
      await new Promise((r) => setTimeout(r, 500));
      expect(feeds.map((f) => f.ended)).toEqual([false, false]);
      const deleted = await gql(tokens.owner, 'mutation ($j: ID!) { deleteHoneyJar(id: $j) }', { j: jar });
      expect(deleted.data.deleteHoneyJar).toBe(true);
      await waitFor(async () => feeds.every((f) => f.ended), 10_000);
      expect(feeds.flatMap((f) => f.errors)).toEqual([]);
    } finally {
      await Promise.all(feeds.map((f) => f.dispose()));
    }
  }, 60_000);
});
