// The REST layer's own last line of defence: an operation that fails inside (a masked internal error) or a runner
// that throws answers 500 in the REST error shape with the request id, and nothing of the failure reaches the
// client. Every other REST behaviour runs against the real subgraphs (tests/integration/rest.test.ts).
import { describe, it, expect } from '@jest/globals';
import { handleRest } from '../src/rest/index.ts';
import { serve } from './serve.ts';

async function ask(run: Parameters<typeof handleRest>[2], path: string) {
  const seen: unknown[] = [];
  const server = await serve((req, res) =>
    handleRest(req, res, run, { requestId: 'req-42', onUnexpectedError: (err) => seen.push(err) }),
  );
  try {
    const res = await fetch(`${server.url}${path}`);
    return { status: res.status, text: await res.text(), seen };
  } finally {
    await server.close();
  }
}

describe('REST 500s', () => {
  it('masks an internal error an operation reports', async () => {
    const { status, text } = await ask(
      async () => ({
        data: null,
        errors: [
          {
            message: 'Internal server error',
            extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-42' },
          },
        ],
      }),
      '/api/beeacon/status',
    );
    expect(status).toBe(500);
    expect(JSON.parse(text).error).toMatchObject({
      code: 'INTERNAL_SERVER_ERROR',
      message: 'Internal server error',
      request_id: 'req-42',
    });
  });

  it('masks a runner that throws, and reports the error to the server log only', async () => {
    const { status, text, seen } = await ask(async () => {
      throw new Error('planner exploded at /srv/gateway.ts:12 password=hunter2');
    }, '/api/beeacon/status');
    expect(status).toBe(500);
    expect(text).not.toMatch(/planner|srv|hunter2|stack|at /);
    expect(JSON.parse(text).error).toMatchObject({ message: 'Internal server error', request_id: 'req-42' });
    expect(seen).toHaveLength(1);
  });
});
