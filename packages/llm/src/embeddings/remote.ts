// Embedders backed by a model server: Ollama's /api/embed and any OpenAI-compatible /v1/embeddings (vLLM,
// LM Studio, llama.cpp's server). Texts go in batches; the dimension is learnt from the first answer when
// config leaves it 0.
import { EmbeddingError } from './errors.ts';
import { postJson } from './http.ts';
import { toUnitVector } from './normalise.ts';
import type { Embedder, EmbeddingsConfig } from './types.ts';

const BATCH = 64;

type Api = 'ollama' | 'openai';

export class RemoteEmbedder implements Embedder {
  readonly provider: Api;
  readonly model: string;
  dimension: number;
  private readonly url: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(provider: Api, config: EmbeddingsConfig) {
    if (!config.baseUrl) throw new EmbeddingError(provider, 'knowledge.embeddings.baseUrl is required');
    if (!config.model) throw new EmbeddingError(provider, 'knowledge.embeddings.model is required');
    this.provider = provider;
    this.model = config.model;
    this.dimension = config.dimension;
    this.timeoutMs = config.timeoutMs;
    const base = config.baseUrl.replace(/\/+$/, '');
    // OpenAI-compatible servers are configured either as http://host:port or http://host:port/v1.
    this.url = provider === 'ollama' ? `${base}/api/embed` : `${base.replace(/\/v1$/, '')}/v1/embeddings`;
    this.headers = config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {};
  }

  /** Learns the dimension when config left it 0, so the collection can record it before any document. */
  async probe(): Promise<this> {
    if (this.dimension === 0) this.dimension = (await this.embed(['dimension probe']))[0].length;
    return this;
  }

  async embed(texts: readonly string[], options: { signal?: AbortSignal } = {}): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += BATCH) {
      options.signal?.throwIfAborted();
      const batch = texts.slice(i, i + BATCH);
      const body = await postJson({
        provider: this.provider,
        url: this.url,
        body: { model: this.model, input: batch },
        headers: this.headers,
        timeoutMs: this.timeoutMs,
        signal: options.signal,
      });
      const vectors = this.provider === 'ollama' ? ollamaVectors(body) : openaiVectors(body);
      if (vectors.length !== batch.length) {
        throw new EmbeddingError(this.provider, `asked for ${batch.length} vectors, got ${vectors.length}`);
      }
      for (const values of vectors) {
        const vector = toUnitVector(this.provider, values, this.dimension);
        if (this.dimension === 0) this.dimension = vector.length;
        out.push(vector);
      }
    }
    return out;
  }
}

function ollamaVectors(body: unknown): unknown[] {
  const embeddings = (body as { embeddings?: unknown }).embeddings;
  if (!Array.isArray(embeddings)) throw new EmbeddingError('ollama', 'the answer has no embeddings list');
  return embeddings;
}

/** OpenAI's `data` items carry an `index`; servers may answer out of order. */
function openaiVectors(body: unknown): unknown[] {
  const data = (body as { data?: unknown }).data;
  if (!Array.isArray(data)) throw new EmbeddingError('openai', 'the answer has no data list');
  const items = data as { index?: unknown; embedding?: unknown }[];
  return [...items]
    .sort((a, b) => (typeof a.index === 'number' && typeof b.index === 'number' ? a.index - b.index : 0))
    .map((item) => item.embedding);
}
