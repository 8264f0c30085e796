// Embedders: the interface, and createEmbedder picking the provider named by `knowledge.embeddings`.
export type { Embedder, EmbeddingsConfig, EmbeddingProvider } from './types.ts';
export { EMBEDDING_PROVIDERS } from './types.ts';
export { EmbeddingError } from './errors.ts';
export { createEmbedder } from './create.ts';
export {
  HashingEmbedder,
  HASHING_MODEL,
  DEFAULT_HASHING_DIMENSION,
  capitalised,
  eachWord,
  namedTokens,
  words,
} from './hashing.ts';
