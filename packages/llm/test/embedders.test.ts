// One contract suite for every embedder (hashing; ollama and openai against the stand-in model server that
// follows their published APIs; onnx on a tiny random-weight BERT built in the test), then what only some
// providers can meet: paraphrase similarity, HTTP errors, time limits, keys and dimensions.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startModelServer, type StandInModelServer } from '../../../tests/standins/model-server.ts';
import { createEmbedder, EmbeddingError, type Embedder, type EmbeddingsConfig } from '../src/index.ts';
import { stem } from '../src/embeddings/hashing.ts';
import { writeTinyBert } from './tiny-bert.ts';

let server: StandInModelServer;
let modelDir: string;
beforeAll(async () => {
  server = await startModelServer();
  modelDir = mkdtempSync(join(tmpdir(), 'sting-onnx-'));
  writeTinyBert(join(modelDir, 'tiny-bert'), 32);
});
afterAll(async () => {
  await server.stop();
  rmSync(modelDir, { recursive: true, force: true });
});

function config(
  provider: EmbeddingsConfig['provider'],
  overrides: Partial<EmbeddingsConfig> = {},
): EmbeddingsConfig {
  const base = { apiKey: null, timeoutMs: 5000 };
  switch (provider) {
    case 'hashing':
      return { provider, model: '', baseUrl: '', dimension: 256, ...base, ...overrides };
    case 'ollama':
      return {
        provider,
        model: 'nomic-embed-text',
        baseUrl: server.url,
        dimension: 0,
        ...base,
        ...overrides,
      };
    case 'openai':
      return {
        provider,
        model: 'text-embedding-3-small',
        baseUrl: `${server.url}/v1`,
        dimension: 0,
        ...base,
        ...overrides,
      };
    case 'onnx':
      return {
        provider,
        model: join(modelDir, 'tiny-bert'),
        baseUrl: '',
        dimension: 0,
        ...base,
        ...overrides,
      };
  }
}

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, v, i) => sum + v * b[i], 0);
const norm = (v: Float32Array) => Math.sqrt(cosine(v, v));

describe.each(['hashing', 'ollama', 'openai', 'onnx'] as const)('%s embedder contract', (provider) => {
  let embedder: Embedder;
  beforeAll(async () => {
    server.embeddings = { dimension: 48 };
    embedder = await createEmbedder(config(provider));
  });
  afterAll(() => (embedder as { close?: () => Promise<void> }).close?.());

  it('names its provider and model and knows its dimension before the first document', () => {
    expect(embedder.provider).toBe(provider);
    expect(embedder.model).not.toBe('');
    expect(embedder.dimension).toBe({ hashing: 256, ollama: 48, openai: 48, onnx: 32 }[provider]);
  });

  it('returns one unit vector of the fixed dimension per text, in order', async () => {
    const texts = ['the queen bee', 'Honey is harvested in late summer.', 'refund policy: 30 days', 'x'];
    const vectors = await embedder.embed(texts);
    expect(vectors).toHaveLength(texts.length);
    for (const vector of vectors) {
      expect(Object.prototype.toString.call(vector)).toBe('[object Float32Array]');
      expect(vector).toHaveLength(embedder.dimension);
      expect(norm(vector)).toBeCloseTo(1, 4);
    }
    // Batched or one by one, a text gets the same vector (padding and batching do not leak in).
    const single = await embedder.embed([texts[2]]);
    expect(cosine(single[0], vectors[2])).toBeCloseTo(1, 4);
    expect(cosine(vectors[0], vectors[1])).toBeLessThan(0.999);
  });

  it('is deterministic', async () => {
    const [a] = await embedder.embed(['the hive holds honey']);
    const [b] = await embedder.embed(['the hive holds honey']);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  it('answers an empty list with an empty list', async () => {
    await expect(embedder.embed([])).resolves.toEqual([]);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const reason = new DOMException('stop', 'AbortError');
    await expect(embedder.embed(['text'], { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });
});

describe('hashing embedder', () => {
  it('scores paraphrases above texts that merely share a few words', async () => {
    const embedder = await createEmbedder(config('hashing', { dimension: 512 }));
    const [fact, paraphrase, distractor] = await embedder.embed([
      'Customers can request a refund within 30 days of purchase.',
      'How many days do customers have to ask for refunds after buying?',
      'Customers can request a new password from the login page.',
    ]);
    expect(cosine(fact, paraphrase)).toBeGreaterThan(0.2);
    expect(cosine(fact, paraphrase)).toBeGreaterThan(cosine(paraphrase, distractor));
  });

  it('stems plural, tense and adverb variants to one form', () => {
    expect(stem('refunds')).toBe(stem('refund'));
    expect(stem('requested')).toBe(stem('requesting'));
    expect(stem('policies')).toBe('policy');
  });

  it('refuses a dimension it cannot use', async () => {
    await expect(createEmbedder(config('hashing', { dimension: 3 }))).rejects.toThrow(/dimension/);
  });
});

describe.each(['ollama', 'openai'] as const)('%s embedder against its server', (provider) => {
  afterAll(() => {
    server.embeddings = { dimension: 48 };
  });

  it('sends the model, the texts and (openai) the bearer key', async () => {
    server.embeddings = { dimension: 48 };
    const embedder = await createEmbedder(config(provider, { apiKey: 'sk-embed-key', dimension: 48 }));
    const before = server.requests.length;
    await embedder.embed(['alpha', 'beta']);
    const path = provider === 'ollama' ? '/api/embed' : '/v1/embeddings';
    // Earlier tests' abandoned slow requests may still arrive; look for this one by its route.
    const request = server.requests.slice(before).find((r) => r.path === path)!;
    expect(request).toBeDefined();
    expect(request.body).toEqual({ model: config(provider).model, input: ['alpha', 'beta'] });
    expect(request.headers.authorization).toBe('Bearer sk-embed-key');
  });

  it('splits long lists into batches', async () => {
    const embedder = await createEmbedder(config(provider, { dimension: 48 }));
    const before = server.requests.length;
    const vectors = await embedder.embed(Array.from({ length: 150 }, (_, i) => `text ${i}`));
    expect(vectors).toHaveLength(150);
    const sizes = server.requests.slice(before).map((r) => (r.body as { input: string[] }).input.length);
    expect(sizes).toEqual([64, 64, 22]);
  });

  it('reports the server error status and message', async () => {
    const embedder = await createEmbedder(config(provider, { dimension: 48 }));
    server.embeddings = { dimension: 48, status: 503 };
    await expect(embedder.embed(['text'])).rejects.toThrow(EmbeddingError);
    await expect(embedder.embed(['text'])).rejects.toThrow(/503: scripted failure/);
    server.embeddings = { dimension: 48 };
  });

  it('refuses vectors of another dimension than configured', async () => {
    const embedder = await createEmbedder(config(provider, { dimension: 64 }));
    await expect(embedder.embed(['text'])).rejects.toThrow(/48 dimensions, config says 64/);
  });

  it('gives up after timeoutMs', async () => {
    const embedder = await createEmbedder(config(provider, { dimension: 48, timeoutMs: 100 }));
    server.embeddings = { dimension: 48, delayMs: 1000 };
    await expect(embedder.embed(['slow'])).rejects.toThrow(/did not answer within 100 ms/);
    server.embeddings = { dimension: 48 };
  });

  it('stops waiting when the caller aborts mid-request', async () => {
    const embedder = await createEmbedder(config(provider, { dimension: 48 }));
    server.embeddings = { dimension: 48, delayMs: 1000 };
    const controller = new AbortController();
    const pending = embedder.embed(['slow'], { signal: controller.signal });
    setTimeout(() => controller.abort(new DOMException('user left', 'AbortError')), 50);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError', message: 'user left' });
    server.embeddings = { dimension: 48 };
  });

  it('says so when the server cannot be reached', async () => {
    const embedder = await createEmbedder(config(provider, { baseUrl: 'http://127.0.0.1:9', dimension: 48 }));
    await expect(embedder.embed(['text'])).rejects.toThrow(/cannot be reached/);
  });
});

describe('onnx embedder', () => {
  it('refuses a folder without a model, naming what is missing', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'sting-onnx-empty-'));
    writeFileSync(join(empty, 'config.json'), '{}');
    await expect(createEmbedder(config('onnx', { model: empty }))).rejects.toThrow(
      /tokenizer\.json is missing/,
    );
    writeFileSync(join(empty, 'tokenizer.json'), '{}');
    await expect(createEmbedder(config('onnx', { model: empty }))).rejects.toThrow(/no onnx\/model\.onnx/);
    rmSync(empty, { recursive: true, force: true });
  });

  it('ends a batch past timeoutMs (the thread is stopped; the next batch starts a new one)', async () => {
    // Start-up gets its own deadline, so a 1 ms limit still loads the model; 32 long texts cannot meet it.
    const embedder = await createEmbedder(config('onnx', { timeoutMs: 1 }));
    const texts = Array.from({ length: 32 }, (_, i) => `hive ${i} `.repeat(300));
    await expect(embedder.embed(texts)).rejects.toThrow(/a batch took longer than 1 ms/);
    await expect(embedder.embed(texts)).rejects.toThrow(/a batch took longer than 1 ms/);
    await (embedder as unknown as { close(): Promise<void> }).close();
  });

  it('stops waiting for a batch when the caller aborts', async () => {
    const embedder = await createEmbedder(config('onnx'));
    const controller = new AbortController();
    const pending = embedder.embed(
      Array.from({ length: 64 }, (_, i) => `honey ${i} `.repeat(40)),
      {
        signal: controller.signal,
      },
    );
    controller.abort(new DOMException('gone', 'AbortError'));
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await (embedder as unknown as { close(): Promise<void> }).close();
  });

  it('refuses a configured dimension the model does not have', async () => {
    await expect(createEmbedder(config('onnx', { dimension: 384 }))).rejects.toThrow(
      /32 dimensions, config says 384/,
    );
  });
});
