// Beeacon's Pollen Filter statistics end to end: a record logged through the platform's logger raises the EMAIL
// and CARD counts that GET /api/beeacon/pollen-filter/stats reports to an administrator; a member gets 403.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { ADMIN, graphql, startIntegrationPlatform, type IntegrationPlatform } from './platform.ts';

const MEMBER = { email: 'worker.bee@example.com', password: 'a long enough member password' };
const ROUTE = '/api/beeacon/pollen-filter/stats';

async function login(url: string, email: string, password: string): Promise<string> {
  const result = await graphql(
    url,
    'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }',
    {
      e: email,
      p: password,
    },
  );
  expect(result.errors).toBeUndefined();
  return result.data.login.token;
}

async function getStats(base: string, token?: string) {
  const response = await fetch(new URL(ROUTE, base), {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: response.status, body: (await response.json()) as any };
}

const countOf = (data: any, type: string): number =>
  data.redactions.find((r: { type: string }) => r.type === type)?.count ?? 0;

describe.each(['embedded', 'distributed'] as const)('Pollen Filter statistics (%s)', (topology) => {
  let it_: IntegrationPlatform;
  let admin: string;
  let member: string;
  beforeAll(async () => {
    it_ = await startIntegrationPlatform(topology);
    admin = await login(it_.url, ADMIN.email, ADMIN.password);
    const created = await graphql(
      it_.url,
      'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }',
      { i: { ...MEMBER, displayName: 'Worker Bee', role: 'MEMBER' } },
      admin,
    );
    expect(created.errors).toBeUndefined();
    member = await login(it_.url, MEMBER.email, MEMBER.password);
  }, 60_000);
  afterAll(async () => {
    await it_?.stop();
  });

  it('counts the email and the card number the platform logged', async () => {
    const before = await getStats(it_.url, admin);
    expect(before.status).toBe(200);
    expect(before.body.api_version).toBe('1.0');
    const data = before.body.data;
    expect(Object.keys(data).sort()).toEqual(
      ['bytes', 'instances', 'records', 'redactions', 'since', 'time_series', 'total_redactions'].sort(),
    );
    expect(data.since).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    expect(data.instances).toBeGreaterThanOrEqual(1);

    // Logged at error so the platform's configured level (error in these tests) keeps it.
    it_.platform.logger.error(
      { customer: 'honey.buyer@example.com' },
      'payment declined for card 4111 1111 1111 1111',
    );

    const after = (await getStats(it_.url, admin)).body.data;
    expect(countOf(after, 'EMAIL')).toBeGreaterThanOrEqual(countOf(data, 'EMAIL') + 1);
    expect(countOf(after, 'CARD')).toBeGreaterThanOrEqual(countOf(data, 'CARD') + 1);
    expect(after.records).toBeGreaterThan(data.records);
    expect(after.bytes).toBeGreaterThan(data.bytes);
    expect(after.total_redactions).toBe(
      after.redactions.reduce((sum: number, r: { count: number }) => sum + r.count, 0),
    );
  });

  it('refuses a member (403) and an anonymous caller (401) in the REST error shape', async () => {
    const refused = await getStats(it_.url, member);
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({
      error: {
        code: 'FORBIDDEN',
        message: expect.any(String),
        timestamp: expect.stringMatching(/Z$/),
        request_id: expect.any(String),
      },
    });
    const anonymous = await getStats(it_.url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
  });
});
