// The REST layer's own last line of defence: an operation that fails inside (a masked internal error) or a runner
// that throws answers 500 in the REST error shape with the request id, and nothing of the failure reaches the
// client; and a bad input is named as the client sent it, not as GraphQL knows it. Every other REST behaviour runs
// against the real subgraphs (tests/integration/rest.test.ts).
import { describe, it, expect } from '@jest/globals';
import { handleRest, restRoutes } from '../src/rest/index.ts';
import { restMessage } from '../src/rest/error-names.ts';
import { matchRoute } from '../src/rest/routes.ts';
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

describe('REST errors name what the client sent', () => {
  const names = (method: string, path: string) => {
    const match = matchRoute(restRoutes(), method, path);
    if (match.kind !== 'route') throw new Error(`no route ${method} ${path}`);
    return match.route.names;
  };
  const search = names('GET', '/api/v1/search');

  it("names the query parameter that fills a resolver's argument", () => {
    expect(restMessage(search, 'first must be between 1 and 50')).toBe('limit must be between 1 and 50');
    expect(restMessage(search, 'query must not be empty')).toBe('q must not be empty');
    expect(restMessage(search, 'honeyJarIds must be honey jar ids')).toBe('honey_jar must be honey jar ids');
    // A list of one variable: the path parameter fills it.
    expect(
      restMessage(names('GET', '/api/v1/honey-pots/x/search'), 'honeyJarIds must be honey jar ids'),
    ).toBe('id must be honey jar ids');
    // A field of an input object the operation writes out (`filter: { name: $name }`).
    expect(restMessage(names('GET', '/api/v1/honey-pots'), 'filter.name must be 1 to 120 characters')).toBe(
      'name must be 1 to 120 characters',
    );
  });

  it("names the parameters of GraphQL's variable errors and of the gateway's NUL check", () => {
    expect(restMessage(search, 'Variable "$q" of required type "String!" was not provided.')).toBe(
      'q is required',
    );
    expect(restMessage(search, '$q contains a NUL character, which is not allowed')).toBe(
      'q contains a NUL character, which is not allowed',
    );
    expect(restMessage(search, '$honeyJar[1] contains a NUL character, which is not allowed')).toBe(
      'honey_jar[1] contains a NUL character, which is not allowed',
    );
    const documents = names('GET', '/api/v1/documents');
    expect(
      restMessage(
        documents,
        'Variable "$from" got invalid value "yesterday"; DateTime must be an ISO-8601 string',
      ),
    ).toBe('from got invalid value "yesterday"; DateTime must be an ISO-8601 string');
  });

  it('names the fields of a JSON body in snake_case, and the body itself as body', () => {
    const create = names('POST', '/api/v1/honey-pots');
    expect(
      restMessage(
        create,
        'Variable "$input" got invalid value "OPEN" at "input.type"; Value "OPEN" does not exist in "HoneyJarType" enum.',
      ),
    ).toBe('type got invalid value "OPEN"; Value "OPEN" does not exist in "HoneyJarType" enum.');
    expect(restMessage(create, '$input.name contains a NUL character, which is not allowed')).toBe(
      'name contains a NUL character, which is not allowed',
    );
    expect(
      restMessage(create, '$input.name contains a lone UTF-16 surrogate, which is not valid Unicode'),
    ).toBe('name contains a lone UTF-16 surrogate, which is not valid Unicode');
    expect(
      restMessage(create, 'Variable "$input" of required type "CreateHoneyJarInput!" was not provided.'),
    ).toBe('body is required');
    expect(
      restMessage(
        create,
        'Variable "$input" got invalid value { description: "x" }; Field "name" of required type "String!" was not provided.',
      ),
    ).toBe('name is required');
    const report = names('POST', '/api/beeacon/health-report');
    expect(
      restMessage(
        report,
        'Variable "$input" got invalid value { periodHours: -1 }; Field "periodHours" is not defined by type "HealthReportInput". Did you mean "periodDays"?',
      ),
    ).toBe('period_hours is not a field of this body. Did you mean "period_days"?');
    expect(
      restMessage(
        report,
        'Variable "$input" got invalid value { x: 1 } at "input.range"; Field "fromDate" is not defined by type "R".',
      ),
    ).toBe('range.from_date is not a field of this body');
  });

  it('leaves every other message as it is', () => {
    for (const message of [
      'The query has more than 5000 tokens (maxTokens)',
      'limit must be between 1 and 50',
      'firstly, something else',
      '$unknown contains a NUL character, which is not allowed',
    ]) {
      expect(restMessage(search, message)).toBe(message);
    }
  });

  it('answers the route with the renamed message', async () => {
    const { status, text } = await ask(
      async () => ({
        data: null,
        errors: [{ message: 'first must be between 1 and 50', extensions: { code: 'BAD_USER_INPUT' } }],
      }),
      '/api/v1/search?q=bees&limit=0',
    );
    expect(status).toBe(400);
    expect(JSON.parse(text).error).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: 'limit must be between 1 and 50',
    });
  });
});
