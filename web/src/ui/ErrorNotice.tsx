// An error as the person should see it: the server's own message and the request id to quote to an
// administrator, never a blank page or a stack trace.
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';

export interface ShownError {
  message: string;
  requestId?: string;
  code?: string;
}

export function describeError(error: unknown): ShownError {
  if (CombinedGraphQLErrors.is(error)) {
    const first = error.errors[0];
    return {
      message: first?.message ?? 'The request failed.',
      code: first?.extensions?.code as string | undefined,
      requestId: first?.extensions?.requestId as string | undefined,
    };
  }
  if (ServerError.is(error)) {
    try {
      const body = JSON.parse(error.bodyText) as {
        errors?: { message: string; extensions?: Record<string, unknown> }[];
        error?: { message: string; code: string; request_id?: string };
      };
      const first = body.errors?.[0];
      if (first)
        return {
          message: first.message,
          code: first.extensions?.code as string | undefined,
          requestId: first.extensions?.requestId as string | undefined,
        };
      if (body.error)
        return { message: body.error.message, code: body.error.code, requestId: body.error.request_id };
    } catch {
      // not JSON: fall through to the status
    }
    return { message: `The server answered ${error.statusCode}.` };
  }
  if (error instanceof Error) return { message: error.message };
  return { message: 'Something went wrong.' };
}

export function ErrorNotice({ error }: { error: unknown }) {
  const shown = describeError(error);
  return (
    <div role="alert" className="notice error">
      <strong>{shown.message}</strong>
      {shown.requestId && (
        <span className="muted">
          {' '}
          Request id: <code>{shown.requestId}</code>
        </span>
      )}
    </div>
  );
}
