// The GraphQL errors the upload and download handlers' operations answer, as the typed errors they carry, so the
// pipeline's stages answer them in the REST error shape with their status (masked ones stay 500).
import { ErrorCode, StingError } from '@sting/kit/errors.ts';
import type { OperationResult } from '../operation-runner.ts';

export function operationFailure(errors: NonNullable<OperationResult['errors']>): StingError {
  const [first] = errors;
  const code = ErrorCode[first.extensions?.code as keyof typeof ErrorCode] ?? ErrorCode.INTERNAL_SERVER_ERROR;
  return new StingError(code, first.message);
}
