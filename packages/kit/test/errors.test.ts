// The second-factor error codes keep their code and message through GraphQL masking and map to their HTTP
// status on REST: a sign-in that needs a code is 401, an operation that needs a fresh second factor is 403.
import { describe, it, expect } from '@jest/globals';
import { GraphQLError } from 'graphql';
import {
  httpStatusFor,
  maskError,
  SecondFactorRequiredError,
  StepUpRequiredError,
  toRestError,
} from '../src/errors.ts';

describe('second-factor errors', () => {
  it.each([
    [new SecondFactorRequiredError(), 'SECOND_FACTOR_REQUIRED', 401],
    [new StepUpRequiredError('Confirm first'), 'STEP_UP_REQUIRED', 403],
  ])('%s keeps its code through masking and answers its status on REST', (error, code, status) => {
    expect(error.code).toBe(code);
    expect(error.httpStatus).toBe(status);
    expect(httpStatusFor(code)).toBe(status);
    const wrapped = new GraphQLError(error.message, { originalError: error });
    const masked = maskError(wrapped.toJSON(), wrapped, 'req-1');
    expect(masked).toMatchObject({ message: error.message, extensions: { code, requestId: 'req-1' } });
    const rest = toRestError(masked, 'req-1');
    expect(rest.status).toBe(status);
    expect(rest.body.error).toMatchObject({ code, message: error.message, request_id: 'req-1' });
  });
});
