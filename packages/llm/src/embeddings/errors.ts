// The one error embedders reject with (besides AbortError): a model server that failed, timed out or
// answered something that is not a vector of the expected size.

export class EmbeddingError extends Error {
  override readonly name = 'EmbeddingError';
  readonly provider: string;
  constructor(provider: string, message: string, options?: { cause?: unknown }) {
    super(`${provider} embeddings: ${message}`, options);
    this.provider = provider;
  }
}
