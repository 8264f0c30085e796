// The GraphQL errors the plain HTTP handlers' operations answer (uploads, downloads, Bee's chat, the health report),
// as the typed errors they carry, so the pipeline's stages answer them in the REST error shape with their status
// (masked ones stay 500).
import type { GraphQLFormattedError } from 'graphql';
import { ErrorCode, RateLimitedError, StingError } from '@sting/kit/errors.ts';

export function operationFailure(
  errors: readonly Pick<GraphQLFormattedError, 'message' | 'extensions'>[],
): StingError {
  const [first] = errors;
  const code = ErrorCode[first.extensions?.code as keyof typeof ErrorCode] ?? ErrorCode.INTERNAL_SERVER_ERROR;
  // Kept with its wait, which the stages answer as Retry-After.
  const retryAfter = first.extensions?.retryAfterSeconds;
  if (code === ErrorCode.RATE_LIMITED && typeof retryAfter === 'number')
    return new RateLimitedError(retryAfter);
  return new StingError(code, first.message);
}
