// A document's ingestion survives the death of the process running it: the job lives in PostgreSQL (pg-boss), so
// when the worker is killed in the middle of a document (SIGKILL, no clean-up) and a worker starts again, the job
// expires, is retried and the document becomes READY. The platform queues jobs only (concurrency 0); the workers
// are child processes of the real worker entry point, embedding through a stand-in Ollama that can hold a request.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerResponse } from 'node:http';
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

let it_: IntegrationPlatform;
let models: StandInModelServer;
let dir: string;
let configPath: string;
let token: string;
const held: ServerResponse[] = [];
let holding = true;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sting-restart-'));
  models = await startModelServer();
  // Embeds everything at once, except the document's text while `holding`: that request hangs, so the job is
  // caught mid-ingestion.
  models.route('POST /api/embed', (request, res) => {
    const input = (request.body as { input: string | string[] }).input;
    const texts = typeof input === 'string' ? [input] : input;
    if (holding && texts.some((t) => t.includes(MARKER))) return void held.push(res);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ model: 'stand-in', embeddings: texts.map((t) => standInVector(t, 64)) }));
  });
  const knowledge = {
    storage: { dir: join(dir, 'blobs'), key: randomBytes(32).toString('hex') },
    embeddings: {
      provider: 'ollama',
      model: 'stand-in',
      baseUrl: models.url,
      dimension: 0,
      timeoutMs: 60_000,
    },
    jobs: { concurrency: 0, retryLimit: 5, retryDelaySeconds: 1, expireSeconds: 5 },
  };
  it_ = await startIntegrationPlatform('embedded', {
    chromaUrl: process.env.CHROMA_URL,
    configure: (config) =>
      ({ ...config, knowledge: { ...config.knowledge, ...knowledge } }) as unknown as StingConfig,
  });
  configPath = join(dir, 'worker.yml');
  await writeFile(
    configPath,
    stringify({
      database: { url: it_.databaseUrl },
      chroma: { url: process.env.CHROMA_URL },
      secrets: { keystore: join(dir, 'keystore.enc'), keyFile: join(dir, 'keystore.key') },
      logging: { level: 'error' },
      knowledge: { ...knowledge, jobs: { ...knowledge.jobs, concurrency: 1 } },
    }),
  );
  token = await signIn(it_.url, ADMIN.email, ADMIN.password);
}, 60_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  for (const res of held) res.destroy();
  await it_?.stop();
  await models?.stop();
  await rm(dir, { recursive: true, force: true });
});

function startWorker(): Promise<ChildProcess> {
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

async function status(id: string): Promise<string> {
  const r = await fetch(new URL(`/api/v1/documents/${id}`, it_.url), {
    headers: { authorization: `Bearer ${token}` },
  });
  return ((await r.json()) as { data: { processing_status: string } }).data.processing_status;
}

describe('durable ingestion', () => {
  it('finishes a document after the worker running it is killed and a new one starts', async () => {
    const jar = await graphql(
      it_.url,
      'mutation ($i: CreateHoneyJarInput!) { createHoneyJar(input: $i) { id } }',
      { i: { name: `Restart ${randomUUID().slice(0, 6)}` } },
      token,
    );
    const honeyJarId = jar.data.createHoneyJar.id;
    const body = new FormData();
    body.append(
      'file',
      new Blob([`# Swarm log\n\n${MARKER}: the swarm settled in the old oak.`]),
      'swarm.md',
    );
    let upload: Response | undefined;
    await waitFor(async () => {
      upload = await fetch(new URL(`/api/v1/honey-pots/${honeyJarId}/upload`, it_.url), {
        method: 'POST',
        body,
        headers: { authorization: `Bearer ${token}` },
      });
      return upload.status !== 404;
    }, 10_000);
    expect(upload!.status).toBe(202);
    const id = ((await upload!.json()) as { data: { id: string }[] }).data[0].id;
    expect(await status(id)).toBe('PENDING');

    const first = await startWorker();
    await waitFor(() => held.length > 0, 45_000);
    expect(await status(id)).toBe('PROCESSING');
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    holding = false;

    const second = await startWorker();
    await waitFor(async () => (await status(id)) === 'READY', 45_000);
    second.kill('SIGTERM');
    await new Promise((resolve) => second.once('exit', resolve));
  }, 90_000);
});
