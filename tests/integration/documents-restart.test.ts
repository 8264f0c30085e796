// Knowledge's jobs survive the death of the process running them: they live in PostgreSQL (pg-boss), so when a
// worker is killed in the middle of one (SIGKILL, no clean-up) and a worker starts again, the job expires (or its
// heartbeat stops), is retried and finishes. A document's ingestion ends READY; a jar's re-index for a new
// embedding model ends with the new collection serving, having embedded only what the killed worker had not,
// while search answered from the old collection throughout. The platform queues jobs only (concurrency 0); the
// workers are child processes of the real worker entry point, embedding through a stand-in Ollama that can hold
// a request.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerResponse } from 'node:http';
import pg from 'pg';
import { stringify } from 'yaml';
import type { StingConfig } from '@sting/kit';
import { standInVector, startModelServer, type StandInModelServer } from '../standins/model-server.ts';
import {
  ADMIN,
  graphql,
  signIn,
  startIntegrationPlatform,
  waitFor,
  type IntegrationPlatform,
} from './platform.ts';

const WORKER = fileURLToPath(new URL('../../subgraphs/knowledge/src/jobs/worker-main.ts', import.meta.url));
const MARKER = 'HOLDTHISDOCUMENT';
/** In every passage of the jar re-indexed across a worker's death. */
const BIG = 'BIGJAR';
const NEW_MODEL = 'stand-in-2';

let it_: IntegrationPlatform;
let models: StandInModelServer;
let dir: string;
let token: string;
const held: ServerResponse[] = [];
let holding = true;
/** The new model's requests for the big jar's passages and the passages in them; held past the first page. */
let bigRequests = 0;
let bigEmbedded = 0;
let holdBig = false;
/** Re-indexing embeds 500 passages a page, 64 a request. */
const FIRST_PAGE_REQUESTS = Math.ceil(500 / 64);
const children: ChildProcess[] = [];
const knowledge = (model: string) => ({
  storage: { dir: join(dir, 'blobs'), key: randomBytes(32).toString('hex') },
  embeddings: { provider: 'ollama', model, baseUrl: models.url, dimension: 0, timeoutMs: 60_000 },
  jobs: { concurrency: 0, retryLimit: 5, retryDelaySeconds: 1, expireSeconds: 5 },
});
let storage: ReturnType<typeof knowledge>['storage'];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sting-restart-'));
  models = await startModelServer();
  // Embeds everything at once, except the document's text while `holding` and, for the new model, the big
  // jar's passages past the first page of its re-index while `holdBig`: those requests hang, so a job is
  // caught half-way.
  models.route('POST /api/embed', (request, res) => {
    const { input, model } = request.body as { input: string | string[]; model: string };
    const texts = typeof input === 'string' ? [input] : input;
    if (holding && texts.some((t) => t.includes(MARKER))) return void held.push(res);
    const big = model === NEW_MODEL ? texts.filter((t) => t.includes(BIG)).length : 0;
    if (big > 0 && holdBig && bigRequests >= FIRST_PAGE_REQUESTS) return void held.push(res);
    if (big > 0) bigRequests++;
    bigEmbedded += big;
    const dimension = model === NEW_MODEL ? 48 : 64;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ model, embeddings: texts.map((t) => standInVector(t, dimension)) }));
  });
  const platform = knowledge('stand-in');
  storage = platform.storage;
  it_ = await startIntegrationPlatform('embedded', {
    chromaUrl: process.env.CHROMA_URL,
    configure: (config) =>
      ({ ...config, knowledge: { ...config.knowledge, ...platform } }) as unknown as StingConfig,
  });
  token = await signIn(it_.url, ADMIN.email, ADMIN.password);
}, 60_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const res of held) res.destroy();
  await it_?.stop();
  await models?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A worker process embedding with `model` (the blob store the platform's). */
async function startWorker(model = 'stand-in'): Promise<ChildProcess> {
  const configPath = join(dir, `worker-${model}.yml`);
  const settings = knowledge(model);
  await writeFile(
    configPath,
    stringify({
      database: { url: it_.databaseUrl },
      chroma: { url: process.env.CHROMA_URL },
      secrets: { keystore: join(dir, 'keystore.enc'), keyFile: join(dir, 'keystore.key') },
      logging: { level: 'error' },
      knowledge: { ...settings, storage, jobs: { ...settings.jobs, concurrency: 1 } },
    }),
  );
  const child = spawn(process.execPath, [WORKER], {
    // DATABASE_URL would override the file's database.url (environment overrides come last).
    env: {
      ...process.env,
      STING_CONFIG: configPath,
      DATABASE_URL: it_.databaseUrl,
      STING_LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('worker ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${errors}`)));
  });
}

async function stopWorker(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  child.kill(signal);
  await new Promise((resolve) => child.once('exit', resolve));
}

async function status(id: string): Promise<string> {
  const r = await fetch(new URL(`/api/v1/documents/${id}`, it_.url), {
    headers: { authorization: `Bearer ${token}` },
  });
  return ((await r.json()) as { data: { processing_status: string } }).data.processing_status;
}

async function createJar(name: string): Promise<string> {
  const jar = await graphql(
    it_.url,
    'mutation ($i: CreateHoneyJarInput!) { createHoneyJar(input: $i) { id } }',
    { i: { name: `${name} ${randomUUID().slice(0, 6)}` } },
    token,
  );
  return jar.data.createHoneyJar.id;
}

/** Uploads one file once knowledge has heard of the jar; returns the document's id. */
async function uploadTo(honeyJarId: string, name: string, text: string): Promise<string> {
  let upload: Response | undefined;
  await waitFor(async () => {
    const body = new FormData();
    body.append('file', new Blob([text]), name);
    upload = await fetch(new URL(`/api/v1/honey-pots/${honeyJarId}/upload`, it_.url), {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${token}` },
    });
    return upload.status !== 404;
  }, 10_000);
  expect(upload!.status).toBe(202);
  return ((await upload!.json()) as { data: { id: string }[] }).data[0].id;
}

describe('durable ingestion', () => {
  it('finishes a document after the worker running it is killed and a new one starts', async () => {
    const honeyJarId = await createJar('Restart');
    const id = await uploadTo(
      honeyJarId,
      'swarm.md',
      `# Swarm log\n\n${MARKER}: the swarm settled in the old oak.`,
    );
    expect(await status(id)).toBe('PENDING');

    const first = await startWorker();
    await waitFor(() => held.length > 0, 45_000);
    expect(await status(id)).toBe('PROCESSING');
    await stopWorker(first, 'SIGKILL');
    holding = false;
    for (const res of held.splice(0)) res.destroy();

    const second = await startWorker();
    await waitFor(async () => (await status(id)) === 'READY', 45_000);
    await stopWorker(second, 'SIGTERM');
  }, 90_000);
});

describe('durable re-indexing', () => {
  it('finishes a jar re-index after the worker running it is killed, while search answers from the old index', async () => {
    // 700 passages (one per section): two pages of re-indexing, the first written before the worker dies.
    const big = await createJar('Big');
    const sections = Array.from(
      { length: 700 },
      (_, i) =>
        `## Frame ${i}\n\n${BIG} frame ${i}: the bees drew comb ${i * 13} on the ${i % 2 ? 'left' : 'right'}.`,
    );
    const bigDoc = await uploadTo(big, 'frames.md', `# Frames\n\n${sections.join('\n\n')}`);
    const small = await createJar('Small');
    const smallDoc = await uploadTo(small, 'note.md', '# Note\n\nThe queen was seen on Tuesday.');
    const old = await startWorker();
    await waitFor(
      async () => (await status(bigDoc)) === 'READY' && (await status(smallDoc)) === 'READY',
      60_000,
    );
    await stopWorker(old, 'SIGTERM');

    const db = new pg.Client({ connectionString: it_.databaseUrl });
    await db.connect();
    try {
      const serving = async (jar: string) =>
        (
          await db.query<{ model: string; state: string }>(
            `select model, state from knowledge.vector_index where honey_jar_id = $1 order by state`,
            [jar],
          )
        ).rows.map((r) => `${r.model} ${r.state}`);
      const jobs = async () =>
        (
          await db.query<{ key: string; state: string; retry_count: number }>(
            `select singleton_key as key, state, retry_count from knowledge_jobs.job where name = 'knowledge-reindex'`,
          )
        ).rows;
      const passages = Number(
        (
          await db.query<{ n: string }>(
            `select count(*) as n from knowledge.chunk where honey_jar_id = $1 and text like $2`,
            [big, `%${BIG}%`],
          )
        ).rows[0].n,
      );
      expect(passages).toBeGreaterThan(500);
      const passage = `${BIG} frame 650: the bees drew comb ${650 * 13} on the right.`;
      const search = async () => {
        const r = await graphql(
          it_.url,
          'query ($q: String!, $j: [ID!]) { search(query: $q, honeyJarIds: $j) { text similarity } }',
          { q: passage, j: [big] },
          token,
        );
        return (r.data?.search ?? []) as { text: string; similarity: number | null }[];
      };
      const foundByVector = async () =>
        (await search()).some((hit) => hit.text.includes(passage) && hit.similarity !== null);
      expect(await foundByVector()).toBe(true);

      // The embedding model changes: the first worker with it queues the stale jars and dies half-way through
      // the big one (its first page written to the new collection).
      holdBig = true;
      const dying = await startWorker(NEW_MODEL);
      await waitFor(() => held.length > 0, 60_000);
      expect(bigRequests).toBe(FIRST_PAGE_REQUESTS);
      expect(bigEmbedded).toBeLessThan(passages);
      expect(await serving(big)).toEqual([`${NEW_MODEL} BUILDING`, 'stand-in READY']);
      await stopWorker(dying, 'SIGKILL');
      for (const res of held.splice(0)) res.destroy();
      holdBig = false;
      expect(await foundByVector()).toBe(true);

      // Another starts: the dead worker's job is retried once its heartbeat has stopped, and finishes the rest.
      const next = await startWorker(NEW_MODEL);
      await waitFor(async () => (await serving(big)).join() === `${NEW_MODEL} READY`, 60_000);
      await waitFor(async () => (await serving(small)).join() === `${NEW_MODEL} READY`, 30_000);
      // Each passage was embedded once: the first page, written before the death, not again.
      expect(bigEmbedded).toBe(passages);
      // One job per jar, though two workers queued them at their start; the big jar's was retried.
      const all = await jobs();
      const keys = all.map((job) => job.key);
      expect(new Set(keys).size).toBe(keys.length);
      const bigJob = async () => (await jobs()).find((job) => job.key.startsWith(big))!;
      await waitFor(async () => (await bigJob()).state === 'completed', 10_000);
      expect((await bigJob()).retry_count).toBeGreaterThanOrEqual(1);
      expect(await foundByVector()).toBe(true);
      await stopWorker(next, 'SIGTERM');
    } finally {
      await db.end();
    }
  }, 180_000);
});
