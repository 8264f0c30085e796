// The audit log through the real gateway and identity (embedded topology): a GraphQL mutation, a REST write and
// permission denials are recorded with their request id, client address and outcome, each also published as a
// user.action event; administrators read the log through auditEvents and GET /api/v1/audit and verify its chain,
// others are refused.
import { randomUUID } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import type { EventEnvelope } from '@sting/kit';
import {
  ADMIN,
  graphql,
  postGraphQL,
  signIn,
  startIntegrationPlatform,
  waitFor,
  type IntegrationPlatform,
} from './platform.ts';

const PASSWORD = 'a long enough password';
const CREATE_JAR = 'mutation ($i: CreateHoneyJarInput!) { createHoneyJar(input: $i) { id } }';
const AUDIT = `query ($filter: AuditFilter) {
  auditEvents(filter: $filter, first: 50) {
    nodes { id seq actorType actorId apiKeyId action targetType targetId outcome requestId clientAddress details }
  }
}`;
const LOCAL = /^(127\.0\.0\.1|::1|::ffff:127\.0\.0\.1)$/;

let it_: IntegrationPlatform;
let base: string;
let admin: string;
let member: string;
let memberId: string;
const published: EventEnvelope<any>[] = [];

const requestId = (label: string) => `it-audit-${label}-${randomUUID()}`;

/** The records of one request, once the gateway's sink has handed them to identity. */
async function recordsOf(id: string, count = 1) {
  let nodes: any[] = [];
  await waitFor(
    async () => {
      const result = await graphql(it_.url, AUDIT, {}, admin);
      nodes = (result.data?.auditEvents.nodes ?? []).filter((n: any) => n.requestId === id);
      return nodes.length >= count;
    },
    { timeoutMs: 10_000, what: `audit records of ${id}` },
  );
  return nodes;
}

beforeAll(async () => {
  it_ = await startIntegrationPlatform('embedded');
  base = it_.url.replace('/graphql', '');
  const subscription = await it_.bus.subscribe<any>('user.action');
  void (async () => {
    for await (const event of subscription) published.push(event);
  })();
  admin = await signIn(it_.url, ADMIN.email, ADMIN.password);
  const created = await graphql(
    it_.url,
    'mutation ($i: CreateUserInput!) { createUser(input: $i) { id } }',
    { i: { email: 'audit-member@example.com', displayName: 'Audit Member', password: PASSWORD } },
    admin,
  );
  memberId = created.data.createUser.id;
  member = await signIn(it_.url, 'audit-member@example.com', PASSWORD);
}, 60_000);
afterAll(() => it_?.stop());

describe('what the gateway records', () => {
  it('a GraphQL mutation, with its request id, client address, actor and outcome, and its user.action event', async () => {
    const id = requestId('gql');
    const response = await postGraphQL(
      it_.url,
      CREATE_JAR,
      { authorization: `Bearer ${member}`, 'x-request-id': id },
      { i: { name: 'Audited jar', type: 'PRIVATE' } },
    );
    expect(response.body.errors).toBeUndefined();
    const [record] = await recordsOf(id);
    expect(record).toMatchObject({
      actorType: 'USER',
      actorId: memberId,
      action: 'mutation createHoneyJar',
      outcome: 'SUCCESS',
      requestId: id,
    });
    expect(record.clientAddress).toMatch(LOCAL);
    expect(JSON.parse(record.details)).toMatchObject({ via: 'graphql' });
    await waitFor(() => published.some((e) => e.payload.id === record.id), { timeoutMs: 5000 });
    expect(published.find((e) => e.payload.id === record.id)).toMatchObject({
      type: 'user.action',
      source: 'identity',
      correlation_id: id,
      payload: { action: 'mutation createHoneyJar', outcome: 'success', actorId: memberId },
    });
  });

  it('REST writes and a failed one, through the mutation each runs', async () => {
    const ok = requestId('rest');
    const created = await fetch(`${base}/api/v1/honey-pots`, {
      method: 'POST',
      headers: { authorization: `Bearer ${member}`, 'content-type': 'application/json', 'x-request-id': ok },
      body: JSON.stringify({ name: 'REST audited', type: 'PRIVATE' }),
    });
    expect(created.status).toBe(201);
    const jarId = ((await created.json()) as any).data.id as string;
    const [record] = await recordsOf(ok);
    expect(record).toMatchObject({
      action: 'mutation createHoneyJar',
      outcome: 'SUCCESS',
      actorId: memberId,
    });
    expect(record.clientAddress).toMatch(LOCAL);
    expect(JSON.parse(record.details)).toMatchObject({ via: 'rest' });

    const deleteIt = requestId('rest-delete');
    const deleted = await fetch(`${base}/api/v1/honey-pots/${jarId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${member}`, 'x-request-id': deleteIt },
    });
    expect(deleted.status).toBe(200);
    const [deletion] = await recordsOf(deleteIt);
    expect(deletion).toMatchObject({
      action: 'mutation deleteHoneyJar',
      targetType: 'id',
      targetId: jarId,
      outcome: 'SUCCESS',
    });

    const missing = requestId('rest-missing');
    const gone = await fetch(`${base}/api/v1/honey-pots/${randomUUID()}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${member}`, 'x-request-id': missing },
    });
    expect(gone.status).toBe(404);
    const [failed] = await recordsOf(missing);
    expect(failed).toMatchObject({ action: 'mutation deleteHoneyJar', outcome: 'FAILURE' });
    expect(JSON.parse(failed.details)).toMatchObject({ via: 'rest', code: 'NOT_FOUND' });
  });

  it('a query refused as FORBIDDEN or UNAUTHENTICATED', async () => {
    const forbidden = requestId('forbidden');
    const asMember = await postGraphQL(it_.url, AUDIT, {
      authorization: `Bearer ${member}`,
      'x-request-id': forbidden,
    });
    expect(asMember.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const [denied] = await recordsOf(forbidden);
    expect(denied).toMatchObject({
      actorType: 'USER',
      actorId: memberId,
      action: 'query auditEvents',
      outcome: 'DENIED',
    });
    expect(JSON.parse(denied.details)).toMatchObject({ code: 'FORBIDDEN' });

    const anonymous = requestId('anonymous');
    const asNobody = await postGraphQL(it_.url, '{ verifyAuditLog { ok } }', { 'x-request-id': anonymous });
    expect(asNobody.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const [nobody] = await recordsOf(anonymous);
    expect(nobody).toMatchObject({
      actorType: 'ANONYMOUS',
      action: 'query verifyAuditLog',
      outcome: 'DENIED',
    });
    expect(nobody.clientAddress).toMatch(LOCAL);
  });

  it('no allowed read', async () => {
    const read = requestId('read');
    await postGraphQL(it_.url, '{ me { id } }', { authorization: `Bearer ${member}`, 'x-request-id': read });
    const marker = requestId('marker');
    await postGraphQL(
      it_.url,
      CREATE_JAR,
      { authorization: `Bearer ${member}`, 'x-request-id': marker },
      {
        i: { name: 'Marker jar', type: 'PRIVATE' },
      },
    );
    await recordsOf(marker);
    const all = (await graphql(it_.url, AUDIT, {}, admin)).data.auditEvents.nodes;
    expect(all.filter((n: any) => n.requestId === read)).toEqual([]);
  });
});

describe('reading and verifying', () => {
  it('GET /api/v1/audit answers administrators with the filtered page, others with 403 or 401', async () => {
    const id = requestId('filtered');
    await postGraphQL(
      it_.url,
      CREATE_JAR,
      { authorization: `Bearer ${member}`, 'x-request-id': id },
      {
        i: { name: 'Filtered jar', type: 'PRIVATE' },
      },
    );
    await recordsOf(id);
    const query = `actor=${memberId}&action=mutation%20createHoneyJar&outcome=SUCCESS&first=2`;
    const page = await fetch(`${base}/api/v1/audit?${query}`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(page.status).toBe(200);
    const body = (await page.json()) as any;
    expect(body.api_version).toBe('1.0');
    expect(body.data.nodes).toHaveLength(2);
    for (const node of body.data.nodes) {
      expect(node).toMatchObject({
        actor_id: memberId,
        action: 'mutation createHoneyJar',
        outcome: 'SUCCESS',
      });
    }
    expect(body.data.nodes[0].request_id).toBe(id);
    expect(body.data.page_info).toMatchObject({ has_next_page: true });
    const next = await fetch(`${base}/api/v1/audit?${query}&after=${body.data.page_info.end_cursor}`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    const nextBody = (await next.json()) as any;
    expect(Number(nextBody.data.nodes[0].seq)).toBeLessThan(Number(body.data.nodes[1].seq));

    const forbidden = await fetch(`${base}/api/v1/audit`, { headers: { authorization: `Bearer ${member}` } });
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as any).error).toMatchObject({ code: 'FORBIDDEN' });
    expect((await fetch(`${base}/api/v1/audit`)).status).toBe(401);
    const stale = requestId('stale-token');
    const refused = await fetch(`${base}/api/v1/audit`, {
      headers: { authorization: 'Bearer no-such-session', 'x-request-id': stale },
    });
    expect(refused.status).toBe(401);
    const [staleRecord] = await recordsOf(stale);
    expect(staleRecord).toMatchObject({
      actorType: 'ANONYMOUS',
      action: 'rest',
      targetType: 'path',
      targetId: '/api/v1/audit',
      outcome: 'DENIED',
    });
    const bad = await fetch(`${base}/api/v1/audit?outcome=MAYBE`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(bad.status).toBe(400);
  });

  it('verifyAuditLog finds the chain intact', async () => {
    const result = await graphql(it_.url, '{ verifyAuditLog { ok checked firstBrokenId } }', {}, admin);
    expect(result.data.verifyAuditLog).toMatchObject({ ok: true, firstBrokenId: null });
    expect(result.data.verifyAuditLog.checked).toBeGreaterThan(5);
  });
});
