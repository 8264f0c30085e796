// Not-found messages show ids as given, long ones cut. The second-factor error codes keep their code and message
// through GraphQL masking and map to their HTTP status on REST: a sign-in that needs a code is 401, an operation
// that needs a fresh second factor is 403.
import { describe, it, expect } from '@jest/globals';
import { GraphQLError } from 'graphql';
import {
  httpStatusFor,
  maskError,
  SecondFactorRequiredError,
  StepUpRequiredError,
  toRestError,
  NotFoundError,
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

describe('NotFoundError', () => {
  it('names what was not found, with its id as given, and cuts an "id" longer than any the platform makes', () => {
    const id = '0f8b5c1e-3d2a-4c6b-9e7f-1a2b3c4d5e6f';
    expect(new NotFoundError('Conversation', id).message).toBe(`Conversation ${id} was not found`);
    expect(new NotFoundError('Conversation').message).toBe('Conversation was not found');
    const long = new NotFoundError('Conversation', 'a'.repeat(5000)).message;
    expect(long).toBe(`Conversation ${'a'.repeat(64)}… was not found`);
    // Cut between characters, never inside one.
    expect(new NotFoundError('Jar', '🐝'.repeat(100)).message).toBe(`Jar ${'🐝'.repeat(64)}… was not found`);
  });
});
