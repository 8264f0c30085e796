// Documents in the knowledge subgraph on a real database and blob store: who may upload where (directly or for
// review), limits and hostile names refused before any byte is kept, type detection, dedup, review, ingestion
// to READY with personal data counted (and redacted when the jar asks), and deletion.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createChromaClient, OutboxEvent, type ApiKeyScope, type Viewer } from '@sting/kit';
import { startTestRuntime, waitFor, type TestRuntime } from '@sting/kit/testing';
import { Document } from '../src/entities/document.ts';
import { Chunk } from '../src/entities/chunk.ts';
import { documentServices } from '../src/domain/documents/services.ts';
import { changeStatus, documentStatusTopic, type DocumentEvent } from '../src/domain/documents/status.ts';
import { ingestDocument, SERVER_FAILURE, type IngestDeps } from '../src/jobs/ingest-document.ts';
import { searchServices } from '../src/domain/search/services.ts';
import { subgraph } from '../src/index.ts';
import { createEmbedder } from '@sting/llm';
import { startModelServer } from '../../../tests/standins/model-server.ts';
import { applyJarDeletion, applyJarState } from '../src/domain/jar-access/read-model.ts';
import { removeJarContents } from '../src/domain/documents/documents.ts';
import { lockBlob } from '../src/domain/documents/blob-references.ts';
import { VectorIndex } from '../src/entities/vector-index.ts';
import { buildJar, buildViewer, knowledgeTestConfig } from './factories.ts';

let t: TestRuntime;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sting-docs-'));
  t = await startTestRuntime(subgraph, {
    config: knowledgeTestConfig(dir, {
      maxUploadBytes: 4096,
      jarQuotaBytes: 10_000,
      maxPendingProposals: 3,
      uploadTtlSeconds: 60,
      jobs: { concurrency: 1, retryLimit: 0, retryDelaySeconds: 1, expireSeconds: 30 },
      extraction: { maxJsonDepth: 20 },
    }),
  });
});
afterAll(async () => {
  const { closeDocumentServices } = await import('../src/domain/documents/services.ts');
  await closeDocumentServices(t.runtime);
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

const CREATE = `mutation($jar: ID!, $name: String!, $size: Float, $title: String, $type: String) {
  createUpload(honeyJarId: $jar, filename: $name, size: $size, title: $title, contentType: $type) {
    token uploadUrl maxBytes limit reviewRequired expiresAt
  }
}`;
const COMPLETE = `mutation($token: String!) { completeUpload(token: $token) { alreadyStored document {
  id title fileType contentType size processingStatus chunkCount honeyJar { id } } } }`;

/** What the gateway does: createUpload as the viewer, stream the bytes into staging, completeUpload. */
async function upload(
  viewer: Viewer | null,
  jar: string,
  name: string,
  bytes: Buffer,
  extra: Record<string, unknown> = {},
) {
  const created = await t.run(viewer, CREATE, { jar, name, ...extra });
  if (created.errors) return created;
  const { token } = created.data.createUpload;
  const { blobs } = await documentServices(t.runtime);
  await blobs.stage(token.split('.')[0], Readable.from([bytes]), created.data.createUpload.maxBytes);
  return t.run(viewer, COMPLETE, { token });
}

const text = (s: string) => Buffer.from(s);
const codeOf = (r: { errors?: readonly { extensions?: Record<string, unknown> }[] }) =>
  r.errors?.[0]?.extensions?.code;

describe('who may upload', () => {
  it('lets the owner, admins and members of shared jars add directly; others propose to PUBLIC jars only', async () => {
    const member = buildViewer('MEMBER');
    const team = await buildJar(t.em(), { type: 'TEAM', memberIds: [member.id] });
    const pub = await buildJar(t.em(), { type: 'PUBLIC' });
    const priv = await buildJar(t.em(), { type: 'PRIVATE' });
    const owner: Viewer = { kind: 'user', id: team.ownerId, role: 'MEMBER' };
    const stranger = buildViewer('MEMBER');
    const readOnly = buildViewer('VIEWER');
    const ask = (v: Viewer | null, jar: string) => t.run(v, CREATE, { jar, name: 'notes.md' });

    expect((await ask(owner, team.honeyJarId)).data.createUpload.reviewRequired).toBe(false);
    expect((await ask(member, team.honeyJarId)).data.createUpload.reviewRequired).toBe(false);
    expect((await ask(buildViewer('ADMIN'), priv.honeyJarId)).data.createUpload.reviewRequired).toBe(false);
    expect((await ask(stranger, pub.honeyJarId)).data.createUpload.reviewRequired).toBe(true);
    expect(codeOf(await ask(readOnly, pub.honeyJarId))).toBe('FORBIDDEN');
    expect(codeOf(await ask(stranger, team.honeyJarId))).toBe('NOT_FOUND');
    expect(codeOf(await ask(stranger, priv.honeyJarId))).toBe('NOT_FOUND');
    expect(codeOf(await ask(null, pub.honeyJarId))).toBe('UNAUTHENTICATED');
  });
});

describe('API keys', () => {
  it('upload with documents:write within their jars, read with honey-jars:read, and are told the missing scope', async () => {
    const jar = await buildJar(t.em(), { type: 'PRIVATE' });
    const owner: Viewer = { kind: 'user', id: jar.ownerId, role: 'MEMBER' };
    const key = (scopes: ApiKeyScope[], honeyJarIds?: string[]): Viewer => ({
      ...owner,
      apiKey: { id: 'k-1', scopes, ...(honeyJarIds ? { honeyJarIds } : {}) },
    });
    const ask = (v: Viewer) => t.run(v, CREATE, { jar: jar.honeyJarId, name: 'notes.md' });
    expect((await ask(key(['documents:write'], [jar.honeyJarId]))).errors).toBeUndefined();
    const refused = await ask(key(['honey-jars:write', 'honey-jars:read']));
    expect(refused.errors?.[0]).toMatchObject({
      message: 'This API key lacks the scope documents:write',
      extensions: { code: 'FORBIDDEN', scope: 'documents:write' },
    });
    // Outside the key jars the jar is as good as absent (the hidden-record rule).
    expect(codeOf(await ask(key(['documents:write'], [randomUUID()])))).toBe('NOT_FOUND');
    const list = `query($jar: ID) { documents(honeyJarId: $jar) { nodes { id } } }`;
    expect((await t.run(key(['honey-jars:read']), list, { jar: jar.honeyJarId })).errors).toBeUndefined();
    expect((await t.run(key(['search']), list, { jar: jar.honeyJarId })).errors?.[0].message).toBe(
      'This API key lacks the scope honey-jars:read',
    );
  });
});

describe('completing an upload', () => {
  it('creates a PENDING document with the type read from the content; the same bytes again return it, saying so', async () => {
    const jar = await buildJar(t.em(), { type: 'PRIVATE' });
    const owner: Viewer = { kind: 'user', id: jar.ownerId, role: 'MEMBER' };
    const bytes = text('# Hive care\n\nInspect the brood every week.');
    const first = await upload(owner, jar.honeyJarId, '../../etc/passwd.md', bytes);
    expect(first.errors).toBeUndefined();
    expect(first.data.completeUpload.document).toMatchObject({
      title: 'passwd.md',
      fileType: 'markdown',
      size: bytes.length,
      processingStatus: 'PENDING',
      honeyJar: { id: jar.honeyJarId },
    });
    expect(first.data.completeUpload.alreadyStored).toBe(false);
    const again = await upload(owner, jar.honeyJarId, 'copy.md', bytes);
    expect(again.data.completeUpload.document.id).toBe(first.data.completeUpload.document.id);
    expect(again.data.completeUpload.alreadyStored).toBe(true);
    expect(await t.em().count(Document, { honeyJarId: jar.honeyJarId })).toBe(1);
  });

  it('refuses an empty file, a wrong type, control characters in names and sizes past the limits', async () => {
    const jar = await buildJar(t.em(), { type: 'PRIVATE' });
    const owner: Viewer = { kind: 'user', id: jar.ownerId, role: 'MEMBER' };
    const empty = await upload(owner, jar.honeyJarId, 'empty.txt', Buffer.alloc(0));
    expect(empty.errors?.[0]).toMatchObject({
      message: 'The file is empty',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    const fake = await upload(owner, jar.honeyJarId, 'report.pdf', text('just some words, no PDF here'));
    expect(codeOf(fake)).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.run(owner, CREATE, { jar: jar.honeyJarId, name: 'a\u0000.txt' }))).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      codeOf(await t.run(owner, CREATE, { jar: jar.honeyJarId, name: 'a.txt', title: 'x\u0000y' })),
    ).toBe('BAD_USER_INPUT');
    // A right-to-left override makes this name read "invoiceexe.pdf"; a C1 control hides in a title.
    const spoofed = await t.run(owner, CREATE, { jar: jar.honeyJarId, name: 'invoice\u202efdp.txt' });
    expect(spoofed.errors?.[0]).toMatchObject({
      message: 'filename must not contain text-direction override characters',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(
      codeOf(await t.run(owner, CREATE, { jar: jar.honeyJarId, name: 'a.txt', title: 'x\u0085y' })),
    ).toBe('BAD_USER_INPUT');
    const big = await t.run(owner, CREATE, { jar: jar.honeyJarId, name: 'big.txt', size: 5000 });
    expect(big.errors?.[0].message).toMatch(/upload limit of 4096 bytes/);
    // Nothing of the refused files was kept.
    expect(await t.em().count(Document, { honeyJarId: jar.honeyJarId })).toBe(0);
  });

  it('counts the jar quota: an upload that would pass it is refused naming the quota', async () => {
    const jar = await buildJar(t.em(), { type: 'PRIVATE' });
    const owner: Viewer = { kind: 'user', id: jar.ownerId, role: 'MEMBER' };
    for (let i = 0; i < 3; i++) {
      const r = await upload(owner, jar.honeyJarId, `part${i}.txt`, text(`${i}`.repeat(3000)));
      expect(r.errors).toBeUndefined();
    }
    const over = await t.run(owner, CREATE, { jar: jar.honeyJarId, name: 'more.txt', size: 2000 });
    expect(over.errors?.[0].message).toMatch(/quota of 1000 bytes/);
  });

  it('keeps the quota when uploads into one jar complete at the same moment', async () => {
    const jar = await buildJar(t.em(), { type: 'PRIVATE' });
    const owner: Viewer = { kind: 'user', id: jar.ownerId, role: 'MEMBER' };
    const { blobs } = await documentServices(t.runtime);
    // Each fits the 10,000-byte quota alone (and was told so when staged); four of them do not.
    const tokens: string[] = [];
    for (let i = 0; i < 4; i++) {
      const created = await t.run(owner, CREATE, { jar: jar.honeyJarId, name: `race${i}.txt` });
      const { token, maxBytes } = created.data.createUpload;
      await blobs.stage(token.split('.')[0], Readable.from([text(`${i}`.repeat(3000))]), maxBytes);
      tokens.push(token);
    }
    const results = await Promise.all(tokens.map((token) => t.run(owner, COMPLETE, { token })));
    const refused = results.filter((r) => r.errors);
    expect(results.length - refused.length).toBe(3);
    expect(refused.map((r) => [codeOf(r), /quota/.test(r.errors![0].message)])).toEqual([
      ['BAD_USER_INPUT', true],
    ]);
    const stored = await t.em().find(Document, { honeyJarId: jar.honeyJarId });
    expect(stored.reduce((sum, d) => sum + Number(d.size), 0)).toBeLessThanOrEqual(10_000);
  });

  it('accepts a token once, and never a forged one', async () => {
    const jar = await buildJar(t.em(), { type: 'PRIVATE' });
    const owner: Viewer = { kind: 'user', id: jar.ownerId, role: 'MEMBER' };
    const created = await t.run(owner, CREATE, { jar: jar.honeyJarId, name: 'a.txt' });
    const { token } = created.data.createUpload;
    const forged = `${token.split('.')[0]}.${'A'.repeat(32)}`;
    expect(codeOf(await t.run(owner, COMPLETE, { token: forged }))).toBe('BAD_USER_INPUT');
    const { blobs } = await documentServices(t.runtime);
    await blobs.stage(token.split('.')[0], Readable.from([text('hello bees')]), 100);
    expect((await t.run(owner, COMPLETE, { token })).errors).toBeUndefined();
    expect(codeOf(await t.run(owner, COMPLETE, { token }))).toBe('BAD_USER_INPUT');
  });
});

describe('review queue', () => {
  it('pages a long queue oldest first, with its count, and refuses a bad jar id, page size or cursor', async () => {
    const jar = await buildJar(t.em(), { type: 'PUBLIC' });
    const other = await buildJar(t.em(), { type: 'PUBLIC' });
    const owner: Viewer = { kind: 'user', id: jar.ownerId, role: 'MEMBER' };
    const proposer = buildViewer('MEMBER');
    const ids: string[] = [];
    for (const name of ['one', 'two', 'three'])
      ids.push(
        (await upload(proposer, jar.honeyJarId, `${name}.txt`, text(`proposal ${name}`))).data.completeUpload
          .document.id,
      );
    await upload(proposer, other.honeyJarId, 'elsewhere.txt', text('a proposal to a jar of someone else'));
    const Q = `query ($j: ID, $first: Int, $after: String) {
      documentReviewQueue(honeyJarId: $j, first: $first, after: $after) {
        nodes { id } pageInfo { hasNextPage endCursor } totalCount
      }
    }`;
    const first = (await t.run(owner, Q, { first: 2 })).data.documentReviewQueue;
    expect(first.nodes.map((d: { id: string }) => d.id)).toEqual(ids.slice(0, 2));
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(first.totalCount).toBe(3);
    const next = (await t.run(owner, Q, { first: 2, after: first.pageInfo.endCursor })).data
      .documentReviewQueue;
    expect(next.nodes.map((d: { id: string }) => d.id)).toEqual(ids.slice(2));
    expect(next.pageInfo.hasNextPage).toBe(false);
    // One jar's queue, and nothing of a jar the viewer does not own.
    expect((await t.run(owner, Q, { j: jar.honeyJarId })).data.documentReviewQueue.totalCount).toBe(3);
    expect((await t.run(owner, Q, { j: other.honeyJarId })).data.documentReviewQueue).toMatchObject({
      nodes: [],
      totalCount: 0,
    });
    expect((await t.run(proposer, Q, {})).data.documentReviewQueue.nodes).toEqual([]);
    for (const [variables, field] of [
      [{ j: 'not-an-id' }, 'honeyJarId'],
      [{ first: 0 }, 'first'],
      [{ first: 201 }, 'first'],
      [{ after: 'not-a-cursor' }, 'after'],
    ] as const) {
      const r = await t.run(owner, Q, variables);
      expect(codeOf(r)).toBe('BAD_USER_INPUT');
      expect(r.errors![0].extensions!.field).toBe(field);
    }
  });

  it("keeps proposals out of the jar's quota until approved, limits those one person has waiting, and approves only what fits", async () => {
    const jar = await buildJar(t.em(), { type: 'PUBLIC' });
    const owner: Viewer = { kind: 'user', id: jar.ownerId, role: 'MEMBER' };
    const proposer = buildViewer('MEMBER');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await upload(proposer, jar.honeyJarId, `idea${i}.txt`, text(`${i}`.repeat(4000)));
      expect(r.errors).toBeUndefined();
      ids.push(r.data.completeUpload.document.id);
    }
    // A fourth waiting proposal is refused up front, naming the limit.
    const fourth = await t.run(proposer, CREATE, { jar: jar.honeyJarId, name: 'idea3.txt' });
    expect(codeOf(fourth)).toBe('BAD_USER_INPUT');
    expect(fourth.errors![0].message).toMatch(/3 proposals waiting .*knowledge\.maxPendingProposals/);
    expect(fourth.errors![0].extensions!.field).toBe('honeyJarId');
    // 12,000 bytes proposed to a jar of 10,000 take nothing from its owner's own uploads.
    expect((await upload(owner, jar.honeyJarId, 'own.txt', text('o'.repeat(4000)))).errors).toBeUndefined();
    const APPROVE = `mutation($id: ID!) { approveDocument(id: $id) { processingStatus } }`;
    expect((await t.run(owner, APPROVE, { id: ids[0] })).data.approveDocument.processingStatus).toBe(
      'PENDING',
    );
    // 8,000 bytes in the jar now: the next proposal does not fit, and stays waiting.
    const over = await t.run(owner, APPROVE, { id: ids[1] });
    expect(codeOf(over)).toBe('BAD_USER_INPUT');
    expect(over.errors![0].message).toMatch(/remaining quota of 2000 bytes/);
    expect((await t.em().findOneOrFail(Document, ids[1])).processingStatus).toBe('PENDING_REVIEW');
    // One reviewed, one more may wait: of two started together, only the first to complete is taken.
    const { blobs } = await documentServices(t.runtime);
    const tokens: string[] = [];
    for (let i = 0; i < 2; i++) {
      const created = await t.run(proposer, CREATE, { jar: jar.honeyJarId, name: `late${i}.txt` });
      expect(created.errors).toBeUndefined();
      const { token, maxBytes } = created.data.createUpload;
      await blobs.stage(token.split('.')[0], Readable.from([text(`late ${i}`)]), maxBytes);
      tokens.push(token);
    }
    const results = await Promise.all(tokens.map((token) => t.run(proposer, COMPLETE, { token })));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    const refused = results.filter((r) => r.errors);
    expect(refused.map((r) => [codeOf(r), /maxPendingProposals/.test(r.errors![0].message)])).toEqual([
      ['BAD_USER_INPUT', true],
    ]);
  });

  it("lets a proposal in when its jar's owner uploads the same bytes, and shows it to no other proposer", async () => {
    const jar = await buildJar(t.em(), { type: 'PUBLIC' });
    const owner: Viewer = { kind: 'user', id: jar.ownerId, role: 'MEMBER' };
    const [proposer, another] = [buildViewer('MEMBER'), buildViewer('MEMBER')];
    const bytes = text(`a proposal about hive ventilation ${randomUUID()}`);
    const proposed = (await upload(proposer, jar.honeyJarId, 'vents.txt', bytes)).data.completeUpload
      .document;
    expect(proposed.processingStatus).toBe('PENDING_REVIEW');
    // The proposer sending it again gets their proposal back; another proposer learns nothing of it.
    const again = (await upload(proposer, jar.honeyJarId, 'again.txt', bytes)).data.completeUpload;
    expect(again).toMatchObject({ alreadyStored: true, document: { id: proposed.id } });
    const other = await upload(another, jar.honeyJarId, 'mine.txt', bytes);
    expect(codeOf(other)).toBe('BAD_USER_INPUT');
    expect(other.errors![0].message).toBe('The same file is already waiting for review in this honey jar');
    expect(JSON.stringify(other)).not.toContain(proposed.id);
    // The owner uploading the same bytes means it belongs in the jar: the proposal is let in, not handed back.
    // It enters the jar and is processed now, so it is not reported as stored already.
    const own = (await upload(owner, jar.honeyJarId, 'vents-owner.txt', bytes)).data.completeUpload;
    expect(own).toMatchObject({
      alreadyStored: false,
      document: { id: proposed.id, processingStatus: 'PENDING' },
    });
    const queue = await t.run(
      owner,
      `query ($j: ID) { documentReviewQueue(honeyJarId: $j) { totalCount } }`,
      {
        j: jar.honeyJarId,
      },
    );
    expect(queue.data.documentReviewQueue.totalCount).toBe(0);
  });

  it('holds a proposal for the owner: hidden from other readers, approved into PENDING or rejected away', async () => {
    const jar = await buildJar(t.em(), { type: 'PUBLIC' });
    const owner: Viewer = { kind: 'user', id: jar.ownerId, role: 'MEMBER' };
    const proposer = buildViewer('MEMBER');
    const reader = buildViewer('MEMBER');
    const proposed = await upload(proposer, jar.honeyJarId, 'idea.txt', text('a proposal about bees'));
    const doc = proposed.data.completeUpload.document;
    expect(doc.processingStatus).toBe('PENDING_REVIEW');
    const Q = `query($id: ID!) { document(id: $id) { id } }`;
    expect((await t.run(reader, Q, { id: doc.id })).data.document).toBeNull();
    expect((await t.run(proposer, Q, { id: doc.id })).data.document).toEqual({ id: doc.id });
    const queue = await t.run(owner, `{ documentReviewQueue { nodes { id } totalCount } }`);
    expect(queue.data.documentReviewQueue).toEqual({ nodes: [{ id: doc.id }], totalCount: 1 });
    expect(
      codeOf(await t.run(proposer, `mutation($id: ID!) { approveDocument(id: $id) { id } }`, { id: doc.id })),
    ).toBe('FORBIDDEN');
    const approved = await t.run(
      owner,
      `mutation($id: ID!) { approveDocument(id: $id) { processingStatus } }`,
      {
        id: doc.id,
      },
    );
    expect(approved.data.approveDocument.processingStatus).toBe('PENDING');

    const other = await upload(proposer, jar.honeyJarId, 'other.txt', text('another proposal'));
    const rejected = await t.run(owner, `mutation($id: ID!) { rejectDocument(id: $id) }`, {
      id: other.data.completeUpload.document.id,
    });
    expect(rejected.data.rejectDocument).toBe(true);
    expect(await t.em().count(Document, { id: other.data.completeUpload.document.id })).toBe(0);
  });
});

describe('ingestion', () => {
  async function deps(): Promise<IngestDeps> {
    const docs = await documentServices(t.runtime);
    const search = await searchServices(t.runtime);
    return {
      newEntityManager: docs.newEntityManager,
      blobs: docs.blobs,
      index: search.chunkIndex,
      embedder: search.embedder,
      logger: t.runtime.logger,
      extraction: docs.settings.extraction,
    };
  }

  it('takes a document to READY with its chunks, counting personal data and redacting it when the jar asks', async () => {
    const plain = await buildJar(t.em(), { type: 'PRIVATE' });
    const owner: Viewer = { kind: 'user', id: plain.ownerId, role: 'MEMBER' };
    const bytes = text('# Contacts\n\nWrite to queen.bee@example.com about the swarm in the north field.');
    const made = await upload(owner, plain.honeyJarId, 'contacts.md', bytes);
    const id = made.data.completeUpload.document.id;
    const d = await deps();
    await ingestDocument(d, { documentId: id, version: 1 }, new AbortController().signal, { last: true });
    const doc = await t.em().findOneOrFail(Document, id);
    expect(doc.processingStatus).toBe('READY');
    expect(doc.chunkCount).toBeGreaterThan(0);
    expect(doc.progress).toBe(1);
    expect(Object.values(doc.piiFindings).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    // The findings leave through the outbox, written with the READY status (counts only, never the address).
    const events = await t.em().find(OutboxEvent, { topic: 'observability.pii.detected' });
    const mine = events.filter((e) => (e.envelope.payload as { documentId: string }).documentId === id);
    expect(mine).toHaveLength(1);
    expect(mine[0].envelope).toMatchObject({ type: 'observability.pii.detected', source: 'knowledge' });
    expect(JSON.stringify(mine[0].envelope)).not.toContain('queen.bee@example.com');
    const chunks = await t.em().find(Chunk, { documentId: id });
    expect(chunks.map((c) => c.text).join(' ')).toContain('queen.bee@example.com');

    // The same text in a jar that redacts on ingest: counted the same, stored without the address.
    const redacting = await buildJar(t.em(), { type: 'PRIVATE' });
    await applyJarState(t.em(), {
      honeyJarId: redacting.honeyJarId,
      ownerId: redacting.ownerId,
      type: 'PRIVATE',
      status: 'ACTIVE',
      name: 'redacting',
      redactPiiOnIngest: true,
      updatedAt: new Date(Date.now() + 1000).toISOString(),
    });
    const redactOwner: Viewer = { kind: 'user', id: redacting.ownerId, role: 'MEMBER' };
    const second = (await upload(redactOwner, redacting.honeyJarId, 'contacts.md', bytes)).data.completeUpload
      .document.id;
    await ingestDocument(d, { documentId: second, version: 1 }, new AbortController().signal, { last: true });
    const redacted = await t.em().findOneOrFail(Document, second);
    expect(redacted.piiFindings).toEqual(doc.piiFindings);
    const stored = (await t.em().find(Chunk, { documentId: second })).map((c) => c.text).join(' ');
    expect(stored).not.toContain('queen.bee@example.com');
    expect(stored).toContain('swarm in the north field');
  });

  it('ends a document that cannot be parsed as FAILED with the reason', async () => {
    const jar = await buildJar(t.em(), { type: 'PRIVATE' });
    const owner: Viewer = { kind: 'user', id: jar.ownerId, role: 'MEMBER' };
    const made = await upload(owner, jar.honeyJarId, 'broken.json', text('{"a": [1, 2,'));
    expect(made.errors).toBeUndefined();
    const id = made.data.completeUpload.document.id;
    await ingestDocument(await deps(), { documentId: id, version: 1 }, new AbortController().signal, {
      last: false,
    });
    const doc = await t.em().findOneOrFail(Document, id);
    expect(doc.processingStatus).toBe('FAILED');
    expect(doc.processingError).toBeTruthy();
  });

  it('reads files within the configured extraction limits (knowledge.extraction)', async () => {
    const { settings } = await documentServices(t.runtime);
    expect(settings.extraction).toMatchObject({ maxJsonDepth: 20, timeoutMs: 60_000, maxMemoryMb: 512 });
    const jar = await buildJar(t.em(), { type: 'PRIVATE' });
    const owner: Viewer = { kind: 'user', id: jar.ownerId, role: 'MEMBER' };
    // 30 levels: within the default of 100, beyond this configuration's 20.
    const nested = '{"a":'.repeat(30) + '"honey"' + '}'.repeat(30);
    const id = (await upload(owner, jar.honeyJarId, 'deep.json', text(nested))).data.completeUpload.document
      .id;
    await ingestDocument(await deps(), { documentId: id, version: 1 }, new AbortController().signal, {
      last: true,
    });
    const doc = await t.em().findOneOrFail(Document, id);
    expect(doc.processingStatus).toBe('FAILED');
    expect(doc.processingError).toMatch(/20/);

    // A file whose text makes more passages than one document may have is refused before any is embedded.
    const long = Array.from({ length: 40 }, (_, i) => `Sentence ${i} about the hives of the north apiary.`);
    const many = (await upload(owner, jar.honeyJarId, 'long.txt', text(long.join(' ')))).data.completeUpload
      .document.id;
    const embedded: string[] = [];
    const base = await deps();
    const counting = {
      ...base,
      extraction: { ...settings.extraction, maxChunks: 1 },
      embedder: {
        ...base.embedder,
        embed: (texts: string[], options?: { signal?: AbortSignal }) => {
          embedded.push(...texts);
          return base.embedder.embed(texts, options);
        },
      },
    };
    await ingestDocument(counting, { documentId: many, version: 1 }, new AbortController().signal, {
      last: true,
    });
    const refused = await t.em().findOneOrFail(Document, many);
    expect(refused.processingStatus).toBe('FAILED');
    expect(refused.processingError).toMatch(
      /^the file's text makes \d+ passages, more than the 1 one document may have/,
    );
    expect(embedded).toEqual([]);
    expect(await t.em().count(Chunk, { documentId: many })).toBe(0);
  });

  it('deletes a document with its chunks, and its blob once no document uses the bytes', async () => {
    const jar = await buildJar(t.em(), { type: 'PRIVATE' });
    const owner: Viewer = { kind: 'user', id: jar.ownerId, role: 'MEMBER' };
    const made = await upload(owner, jar.honeyJarId, 'gone.md', text('# Gone\n\nThis will be deleted.'));
    const id = made.data.completeUpload.document.id;
    await ingestDocument(await deps(), { documentId: id, version: 1 }, new AbortController().signal, {
      last: true,
    });
    const { blobs } = await documentServices(t.runtime);
    const hash = (await t.em().findOneOrFail(Document, id)).contentHash;
    expect(
      codeOf(await t.run(buildViewer('MEMBER'), `mutation($id: ID!) { deleteDocument(id: $id) }`, { id })),
    ).toBe('NOT_FOUND');
    expect(
      (await t.run(owner, `mutation($id: ID!) { deleteDocument(id: $id) }`, { id })).data.deleteDocument,
    ).toBe(true);
    expect(await t.em().count(Chunk, { documentId: id })).toBe(0);
    expect(await blobs.has(hash)).toBe(false);
  });
  it('keeps the blob of a deleted document when the same bytes are being added elsewhere at that moment', async () => {
    const jar = await buildJar(t.em(), { type: 'PRIVATE' });
    const other = await buildJar(t.em(), { type: 'PRIVATE' });
    const owner: Viewer = { kind: 'user', id: jar.ownerId, role: 'MEMBER' };
    const bytes = text(`# Shared\n\nThe same bytes in two jars ${randomUUID()}.`);
    const made = await upload(owner, jar.honeyJarId, 'shared.md', bytes);
    const id = made.data.completeUpload.document.id;
    const { blobs } = await documentServices(t.runtime);
    const hash = (await t.em().findOneOrFail(Document, id)).contentHash;
    // An upload of the same bytes into another jar, between finding the blob there and committing its document,
    // holds the blob's lock (as completeUpload does).
    const adding = t.em().fork();
    await adding.begin();
    await lockBlob(adding, hash);
    const deleting = t.run(owner, `mutation($id: ID!) { deleteDocument(id: $id) }`, { id });
    // The deletion has removed the row and waits for the blob's lock to count the blob's documents.
    await waitFor(async () => {
      const [{ waiting }] = await t
        .em()
        .getConnection()
        .execute(`select count(*)::int as waiting from pg_locks where locktype = 'advisory' and not granted`);
      return waiting > 0;
    });
    adding.create(Document, {
      honeyJarId: other.honeyJarId,
      title: 'shared.md',
      fileType: 'md',
      contentType: 'text/markdown',
      size: bytes.length,
      contentHash: hash,
      processingStatus: 'PENDING',
      uploadedBy: other.ownerId,
      processingError: null,
    });
    await adding.flush();
    await adding.commit();
    expect((await deleting).data.deleteDocument).toBe(true);
    // The deletion counted after that document committed: the blob stays, for it.
    expect(await blobs.has(hash)).toBe(true);
    expect(await blobs.readAll(hash)).toEqual(bytes);
  });

  it('reprocesses a document as a new version; a job queued for the old version does nothing', async () => {
    const jar = await buildJar(t.em(), { type: 'PRIVATE' });
    const owner: Viewer = { kind: 'user', id: jar.ownerId, role: 'MEMBER' };
    const made = await upload(owner, jar.honeyJarId, 'again.md', text('# Again\n\nProcessed twice.'));
    const id = made.data.completeUpload.document.id;
    const d = await deps();
    await ingestDocument(d, { documentId: id, version: 1 }, new AbortController().signal, { last: true });
    const again = await t.run(
      owner,
      `mutation($id: ID!) { reprocessDocument(id: $id) { processingStatus progress } }`,
      {
        id,
      },
    );
    expect(again.data.reprocessDocument).toEqual({ processingStatus: 'PENDING', progress: 0 });
    await ingestDocument(d, { documentId: id, version: 1 }, new AbortController().signal, { last: true });
    expect((await t.em().findOneOrFail(Document, id)).processingStatus).toBe('PENDING');
    await ingestDocument(d, { documentId: id, version: 2 }, new AbortController().signal, { last: true });
    expect((await t.em().findOneOrFail(Document, id)).processingStatus).toBe('READY');
    expect(
      codeOf(
        await t.run(buildViewer('MEMBER'), `mutation($id: ID!) { reprocessDocument(id: $id) { id } }`, {
          id,
        }),
      ),
    ).toBe('NOT_FOUND');
    // Asked at once, each reprocessing is a version of its own.
    const REPROCESS = `mutation($id: ID!) { reprocessDocument(id: $id) { processingStatus } }`;
    const at = await Promise.all([1, 2, 3].map(() => t.run(owner, REPROCESS, { id })));
    expect(at.map((r) => r.errors)).toEqual([undefined, undefined, undefined]);
    expect((await t.em().findOneOrFail(Document, id)).version).toBe(5);
  });

  /**
   * Ingestion with `before` run once its chunks are embedded and about to be written (after its last look at the
   * document's status): what a deletion arriving at that moment does.
   */
  async function deps2(before: () => Promise<void>): Promise<IngestDeps> {
    const d = await deps();
    const index = d.index;
    return {
      ...d,
      index: {
        replaceDocumentChunks: async (...args) => {
          await before();
          return index.replaceDocumentChunks(...args);
        },
        removeDocument: (...args) => index.removeDocument(...args),
        removeJar: (...args) => index.removeJar(...args),
      },
    };
  }

  /** Whether Chroma holds any vector of the document, in any collection of its jar, or any collection of it. */
  async function vectorsOf(honeyJarId: string, documentId: string) {
    const chroma = createChromaClient(process.env.CHROMA_URL!);
    const collections = (await chroma.listCollections({ limit: 1000 })).filter((c) =>
      c.name.startsWith(`jar-${honeyJarId}-`),
    );
    let vectors = 0;
    for (const c of collections) vectors += (await c.get({ where: { document_id: documentId } })).ids.length;
    return { collections: collections.length, vectors };
  }

  it('keeps nothing of a document whose jar is deleted just as its chunks are written', async () => {
    const jar = await buildJar(t.em(), { type: 'PRIVATE' });
    const owner: Viewer = { kind: 'user', id: jar.ownerId, role: 'MEMBER' };
    const made = await upload(owner, jar.honeyJarId, 'late.md', text('# Late\n\nThe jar goes first.'));
    const id = made.data.completeUpload.document.id;
    // What knowledge does when honey-jars announces the deletion.
    const d = await deps2(async () => {
      await applyJarDeletion(t.em(), jar.honeyJarId, new Date().toISOString());
      await removeJarContents(t.runtime, t.em(), jar.honeyJarId);
    });
    await ingestDocument(d, { documentId: id, version: 1 }, new AbortController().signal, { last: true });
    expect(await t.em().count(Chunk, { honeyJarId: jar.honeyJarId })).toBe(0);
    expect(await t.em().count(Document, { honeyJarId: jar.honeyJarId })).toBe(0);
    expect(await vectorsOf(jar.honeyJarId, id)).toEqual({ collections: 0, vectors: 0 });
    expect(await t.em().count(VectorIndex, { honeyJarId: jar.honeyJarId })).toBe(0);
  });

  it('keeps nothing of a document deleted or reprocessed just as its chunks are written', async () => {
    const jar = await buildJar(t.em(), { type: 'PRIVATE' });
    const owner: Viewer = { kind: 'user', id: jar.ownerId, role: 'MEMBER' };
    // A first document gives the jar its collection, which stays.
    const kept = (await upload(owner, jar.honeyJarId, 'kept.md', text('# Kept\n\nStays in the jar.'))).data
      .completeUpload.document.id;
    await ingestDocument(await deps(), { documentId: kept, version: 1 }, new AbortController().signal, {
      last: true,
    });
    const deleted = (await upload(owner, jar.honeyJarId, 'gone.md', text('# Gone\n\nDeleted meanwhile.')))
      .data.completeUpload.document.id;
    const remove = await deps2(async () => {
      const answer = await t.run(owner, `mutation($id: ID!) { deleteDocument(id: $id) }`, { id: deleted });
      expect(answer.data.deleteDocument).toBe(true);
    });
    await ingestDocument(remove, { documentId: deleted, version: 1 }, new AbortController().signal, {
      last: true,
    });
    expect(await t.em().count(Chunk, { documentId: deleted })).toBe(0);
    expect((await vectorsOf(jar.honeyJarId, deleted)).vectors).toBe(0);

    const again = (await upload(owner, jar.honeyJarId, 'again.md', text('# Again\n\nReprocessed meanwhile.')))
      .data.completeUpload.document.id;
    const reprocess = await deps2(async () => {
      const answer = await t.run(owner, `mutation($id: ID!) { reprocessDocument(id: $id) { id } }`, {
        id: again,
      });
      expect(answer.errors).toBeUndefined();
    });
    await ingestDocument(reprocess, { documentId: again, version: 1 }, new AbortController().signal, {
      last: true,
    });
    // Version 1's chunks were not written; version 2's job writes its own.
    expect(await t.em().count(Chunk, { documentId: again })).toBe(0);
    expect((await vectorsOf(jar.honeyJarId, again)).vectors).toBe(0);
    expect((await t.em().findOneOrFail(Document, again)).processingStatus).toBe('PENDING');
    await ingestDocument(await deps(), { documentId: again, version: 2 }, new AbortController().signal, {
      last: true,
    });
    expect(await t.em().count(Chunk, { documentId: again })).toBeGreaterThan(0);
    // The jar's other document kept its chunks and vectors throughout.
    expect(await t.em().count(Chunk, { documentId: kept })).toBeGreaterThan(0);
    expect((await vectorsOf(jar.honeyJarId, kept)).vectors).toBeGreaterThan(0);
  });

  it('cancels the queued job of a deleted document', async () => {
    const jar = await buildJar(t.em(), { type: 'PRIVATE' });
    const owner: Viewer = { kind: 'user', id: jar.ownerId, role: 'MEMBER' };
    const made = await upload(owner, jar.honeyJarId, 'queued.md', text('# Queued\n\nNever processed.'));
    const id = made.data.completeUpload.document.id;
    const schema = `${t.orm.config.get('schema')}_jobs`;
    const stateOf = async () =>
      (
        await t
          .em()
          .getConnection()
          .execute<{ state: string }[]>(`select state from "${schema}".job where data->>'documentId' = ?`, [
            id,
          ])
      ).map((r) => r.state);
    expect(await stateOf()).toEqual(['created']);
    await t.run(owner, `mutation($id: ID!) { deleteDocument(id: $id) }`, { id });
    expect(await stateOf()).toEqual(['cancelled']);
  });
  it('hands a model-server failure back to the queue for a retry, and marks FAILED only on the last attempt', async () => {
    const models = await startModelServer();
    try {
      const embedder = await createEmbedder({
        provider: 'ollama',
        model: 'stand-in',
        baseUrl: models.url,
        apiKey: null,
        dimension: 0,
        timeoutMs: 5000,
      });
      models.embeddings.status = 500;
      const jar = await buildJar(t.em(), { type: 'PRIVATE' });
      const owner: Viewer = { kind: 'user', id: jar.ownerId, role: 'MEMBER' };
      const made = await upload(
        owner,
        jar.honeyJarId,
        'retry.md',
        text('# Retry\n\nThe model server is down.'),
      );
      const id = made.data.completeUpload.document.id;
      const d = { ...(await deps()), embedder };
      const job = { documentId: id, version: 1 };
      await expect(ingestDocument(d, job, new AbortController().signal, { last: false })).rejects.toThrow();
      expect((await t.em().findOneOrFail(Document, id)).processingStatus).toBe('PENDING');
      await ingestDocument(d, job, new AbortController().signal, { last: true });
      const failed = await t.em().findOneOrFail(Document, id);
      expect(failed.processingStatus).toBe('FAILED');
      // The model server's own words (its address among them) stay in the log.
      expect(failed.processingError).toBe(SERVER_FAILURE);
    } finally {
      await models.stop();
    }
  });
});

describe('status announcements', () => {
  /** The outbox rows announcing the document, in the order they were written. */
  async function announced(id: string) {
    const rows = await t.em().find(OutboxEvent, {}, { orderBy: { seq: 'asc' } });
    return rows
      .filter((row) => (row.envelope.payload as DocumentEvent).id === id)
      .map((row) => ({ row, payload: row.envelope.payload as DocumentEvent }));
  }

  async function uploaded() {
    const jar = await buildJar(t.em(), { type: 'PRIVATE' });
    const owner: Viewer = { kind: 'user', id: jar.ownerId, role: 'MEMBER' };
    const made = await upload(owner, jar.honeyJarId, `${randomUUID()}.md`, text(`# Status ${randomUUID()}`));
    return { honeyJarId: jar.honeyJarId, owner, id: made.data.completeUpload.document.id as string };
  }

  it('writes each status change and its events in one transaction, on the jar topic and the fixed one', async () => {
    const { honeyJarId, owner, id } = await uploaded();
    const topics = [documentStatusTopic(honeyJarId), 'knowledge.document.status_changed'];
    expect((await announced(id)).map((e) => [e.row.topic, e.payload.processingStatus])).toEqual(
      topics.map((topic) => [topic, 'PENDING']),
    );

    // A change whose transaction fails leaves neither the status nor its events.
    await expect(
      changeStatus(t.em(), id, 1, { processingStatus: 'PROCESSING', progress: 0.3 }, () => {
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await t.em().findOneOrFail(Document, id)).processingStatus).toBe('PENDING');
    expect(await announced(id)).toHaveLength(2);

    const changed = await changeStatus(t.em(), id, 1, { processingStatus: 'PROCESSING', progress: 0.3 });
    const events = (await announced(id)).slice(2);
    expect(events.map((e) => [e.row.topic, e.payload.processingStatus, e.payload.progress])).toEqual(
      topics.map((topic) => [topic, 'PROCESSING', 0.3]),
    );
    // The document as committed, each row with an id of its own.
    expect(events[0].payload.updatedAt).toBe(changed!.updatedAt.toISOString());
    expect(new Set(events.map((e) => e.row.id)).size).toBe(2);
    // Superseded (another version): nothing is written or announced.
    expect(await changeStatus(t.em(), id, 2, { processingStatus: 'READY' })).toBeNull();
    expect(await announced(id)).toHaveLength(4);
    // Reprocessing writes the new version's PENDING with its events.
    await t.run(owner, `mutation($id: ID!) { reprocessDocument(id: $id) { id } }`, { id });
    expect(
      (await announced(id)).slice(4).map((e) => [e.payload.processingStatus, e.payload.version]),
    ).toEqual([
      ['PENDING', 2],
      ['PENDING', 2],
    ]);
  });

  it('publishes the events after the commit, and keeps them through a bus outage', async () => {
    const { honeyJarId, id } = await uploaded();
    const bus = t.runtime.bus;
    const subscription = await bus.subscribe<DocumentEvent>(documentStatusTopic(honeyJarId));
    const publish = bus.publish;
    bus.publish = async () => {
      throw new Error('the bus is down');
    };
    let changedAt: string;
    try {
      changedAt = (await changeStatus(t.em(), id, 1, {
        processingStatus: 'PROCESSING',
        progress: 0.5,
      }))!.updatedAt.toISOString();
      // The commit nudged the relay; the publish failed, so the events wait in the outbox.
      await waitFor(async () => (await announced(id)).some((e) => e.row.attempts > 0), 5000);
      const processing = (await announced(id)).filter((e) => e.payload.processingStatus === 'PROCESSING');
      expect(processing.map((e) => e.row.sentAt)).toEqual([null, null]);
    } finally {
      bus.publish = publish;
    }
    // The relay's next pass delivers them; by then the status is committed for every reader.
    const deadline = Date.now() + 5000;
    let received: DocumentEvent | undefined;
    while (!received && Date.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      const next = await Promise.race([
        subscription.next(),
        new Promise<null>((resolve) => {
          timer = setTimeout(() => resolve(null), deadline - Date.now());
        }),
      ]).finally(() => clearTimeout(timer));
      if (!next || next.done) break;
      if (next.value.payload.processingStatus === 'PROCESSING') received = next.value.payload;
    }
    await subscription.return();
    expect(received).toMatchObject({
      id,
      processingStatus: 'PROCESSING',
      progress: 0.5,
      updatedAt: changedAt!,
    });
    expect((await t.em().findOneOrFail(Document, id)).processingStatus).toBe('PROCESSING');
    await waitFor(async () => (await announced(id)).every((e) => e.row.sentAt !== null), 5000);
  });
});
