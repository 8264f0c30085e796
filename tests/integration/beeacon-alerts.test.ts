// Beeacon's alert routes through the whole embedded platform: the launcher's give-up alert raised twice is one
// alert counted twice, and an administrator lists, acknowledges and resolves it over REST; members are refused
// and bad input is the REST error shape.
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { raisePlatformAlert } from '@sting/ops/platform-alert.ts';
import { createPeople } from './bee-journey.ts';
import { startIntegrationPlatform, type IntegrationPlatform } from './platform.ts';

describe('GET /api/beeacon/alerts and the acknowledge/resolve routes', () => {
  let it_: IntegrationPlatform;
  let tokens: Record<string, string>;
  beforeAll(async () => {
    it_ = await startIntegrationPlatform('embedded');
    ({ tokens } = await createPeople(it_.url, [['member', 'MEMBER']]));
  }, 60_000);
  afterAll(async () => {
    await it_?.stop();
  });

  const api = async (method: string, path: string, token = tokens.admin) => {
    // A write is JSON, as the gateway's cross-site request forgery rule asks of every REST write.
    const write = method === 'GET' ? {} : { headers: { 'content-type': 'application/json' }, body: '{}' };
    const response = await fetch(new URL(path, it_.url), {
      method,
      body: write.body,
      headers: { authorization: `Bearer ${token}`, ...write.headers },
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  it('lists the launcher alert once however often it is raised, then acknowledges and resolves it', async () => {
    const title = `knowledge gave up ${randomUUID().slice(0, 8)}`;
    for (let i = 0; i < 2; i++) {
      expect(
        await raisePlatformAlert(it_.platform, { severity: 'CRITICAL', title, message: 'gave up' }),
      ).toBe('recorded');
    }
    const listed = await api(
      'GET',
      '/api/beeacon/alerts?source=launcher&state=OPEN&severity=CRITICAL&first=10',
    );
    expect(listed.status).toBe(200);
    const mine = listed.body.data.nodes.filter((a: { title: string }) => a.title === title);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ state: 'OPEN', count: 2, source: 'launcher' });
    expect(listed.body.data.page_info).toMatchObject({ has_next_page: false });

    const acked = await api('POST', `/api/beeacon/alerts/${mine[0].id}/acknowledge`);
    expect(acked.status).toBe(200);
    expect(acked.body.data).toMatchObject({ id: mine[0].id, state: 'ACKNOWLEDGED' });
    const resolved = await api('POST', `/api/beeacon/alerts/${mine[0].id}/resolve`);
    expect(resolved.body.data).toMatchObject({ state: 'RESOLVED' });
    expect(resolved.body.data.resolved_by).toBe(acked.body.data.acknowledged_by);

    const open = await api('GET', '/api/beeacon/alerts?source=launcher&state=OPEN');
    expect(open.body.data.nodes.map((a: { title: string }) => a.title)).not.toContain(title);
  });

  it('refuses members with 403 and answers 404 for an unknown alert', async () => {
    expect((await api('GET', '/api/beeacon/alerts', tokens.member)).status).toBe(403);
    const id = randomUUID();
    const member = await api('POST', `/api/beeacon/alerts/${id}/resolve`, tokens.member);
    expect(member.status).toBe(403);
    const unknown = await api('POST', `/api/beeacon/alerts/${id}/acknowledge`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
  });

  it.each([
    ['an unknown state', '?state=CLOSED'],
    ['a non-integer page size', '?first=ten'],
    ['a page size over 500', '?first=501'],
    ['a bad cursor', '?after=nope'],
    ['a bad time', '?since=yesterday'],
  ])('answers 400 for %s', async (_case, query) => {
    const { status, body } = await api('GET', `/api/beeacon/alerts${query}`);
    expect(status).toBe(400);
    expect(body.error.code).toBe('BAD_USER_INPUT');
  });
});
