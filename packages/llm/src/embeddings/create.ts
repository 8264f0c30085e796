// createEmbedder: the configured provider, constructed (and for onnx, loaded) once at start.
import { EmbeddingError } from './errors.ts';
import type { Embedder, EmbeddingsConfig } from './types.ts';

export async function createEmbedder(config: EmbeddingsConfig): Promise<Embedder> {
  throw new EmbeddingError(config.provider, 'not available yet');
}
