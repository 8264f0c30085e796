// ExtractionError: why a document's text could not be read, in words its uploader understands. Its
// message becomes the document's processingError.

export type ExtractionFailure =
  | 'empty'
  | 'malformed'
  | 'truncated'
  | 'encrypted'
  | 'too-large'
  | 'too-deep'
  | 'timeout'
  | 'out-of-memory'
  | 'unsupported'
  | 'cancelled';

export class ExtractionError extends Error {
  override readonly name = 'ExtractionError';
  readonly reason: ExtractionFailure;
  constructor(reason: ExtractionFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}
