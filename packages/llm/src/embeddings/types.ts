// The embedder contract every provider meets: texts in, unit-normalised vectors of one fixed dimension out.
// Search compares vectors by cosine distance, so vectors from different models or dimensions never mix.

export const EMBEDDING_PROVIDERS = ['hashing', 'ollama', 'openai', 'onnx'] as const;
export type EmbeddingProvider = (typeof EMBEDDING_PROVIDERS)[number];

export interface Embedder {
  /** 'hashing' | 'ollama' | 'openai' | 'onnx' */
  readonly provider: string;
  /** e.g. 'hashing-v1', 'nomic-embed-text', or the onnx model folder's name */
  readonly model: string;
  readonly dimension: number;
  /** One unit-normalised vector per text, in order. Rejects with EmbeddingError (or AbortError on abort). */
  embed(texts: readonly string[], options?: { signal?: AbortSignal }): Promise<Float32Array[]>;
}

/** `knowledge.embeddings` of config.yml, as kit's config schema delivers it (apiKey already resolved). */
export interface EmbeddingsConfig {
  readonly provider: EmbeddingProvider;
  /** hashing: ignored ('hashing-v1'); ollama/openai: the served model's name; onnx: the model folder's path. */
  readonly model: string;
  /** ollama/openai: the server's base URL. */
  readonly baseUrl: string;
  /** openai: the bearer key (resolved from a secret reference), or null. */
  readonly apiKey: string | null;
  /** hashing: the vector size; others: checked against what the model returns when non-zero. */
  readonly dimension: number;
  /** Per request to a model server or per onnx batch. */
  readonly timeoutMs: number;
}
