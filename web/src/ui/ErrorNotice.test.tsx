// What a person reads when something fails: the server's message and the request id, from GraphQL errors, REST
// error bodies and HTTP failures alike.
import { describe, expect, it } from '@jest/globals';
import { render, screen } from '@testing-library/react';
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { describeError, ErrorNotice } from './ErrorNotice';

/** ServerError reads only the status of the response. */
const httpStatus = (status: number) => ({ status }) as Response;

describe('describeError', () => {
  it('reads the first GraphQL error with its code and request id', () => {
    const error = new CombinedGraphQLErrors({
      errors: [
        { message: 'name: at most 120 characters', extensions: { code: 'BAD_USER_INPUT', requestId: 'r-1' } },
      ],
    });
    expect(describeError(error)).toEqual({
      message: 'name: at most 120 characters',
      code: 'BAD_USER_INPUT',
      requestId: 'r-1',
    });
  });

  it('reads a REST error body and a GraphQL body behind an HTTP error status', () => {
    const rest = new ServerError('429', {
      response: httpStatus(429),
      bodyText: JSON.stringify({ error: { code: 'RATE_LIMITED', message: 'Slow down', request_id: 'r-2' } }),
    });
    expect(describeError(rest)).toEqual({ message: 'Slow down', code: 'RATE_LIMITED', requestId: 'r-2' });
    const graph = new ServerError('401', {
      response: httpStatus(401),
      bodyText: JSON.stringify({
        errors: [{ message: 'Sign in again', extensions: { code: 'UNAUTHENTICATED', requestId: 'r-3' } }],
      }),
    });
    expect(describeError(graph)).toEqual({
      message: 'Sign in again',
      code: 'UNAUTHENTICATED',
      requestId: 'r-3',
    });
  });

  it('says the status when the body is not JSON, and never shows a stack', () => {
    const html = new ServerError('502', { response: httpStatus(502), bodyText: '<html>' });
    expect(describeError(html).message).toBe('The server answered 502.');
    expect(describeError('weird')).toEqual({ message: 'Something went wrong.' });
  });
});

describe('ErrorNotice', () => {
  it('is announced as an alert with the request id to quote', () => {
    const error = new CombinedGraphQLErrors({
      errors: [{ message: 'Not allowed', extensions: { code: 'FORBIDDEN', requestId: 'req-42' } }],
    });
    render(<ErrorNotice error={error} />);
    expect(screen.getByRole('alert').textContent).toBe('Not allowed Request id: req-42');
  });
});
