// createEmbedder: the configured provider, constructed (and for onnx, loaded) once at start, so a wrong
// model folder or an unreachable server stops start-up with a message instead of failing the first document.
import { EmbeddingError } from './errors.ts';
import { HashingEmbedder } from './hashing.ts';
import { OnnxEmbedder } from './onnx.ts';
import { RemoteEmbedder } from './remote.ts';
import type { Embedder, EmbeddingsConfig } from './types.ts';

export async function createEmbedder(config: EmbeddingsConfig): Promise<Embedder> {
  switch (config.provider) {
    case 'hashing':
      return new HashingEmbedder(config.dimension || undefined);
    case 'ollama':
    case 'openai':
      return new RemoteEmbedder(config.provider, config).probe();
    case 'onnx':
      return OnnxEmbedder.load(config);
    default:
      throw new EmbeddingError(String(config.provider), 'unknown embeddings provider');
  }
}
