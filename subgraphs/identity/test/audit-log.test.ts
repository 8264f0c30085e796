// The audit log against a real PostgreSQL: appends chained in order, one line across concurrent writers, the
// append-only trigger, Pollen-filtered details, the user.action event in the same transaction.
import { randomUUID } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { OutboxEvent, type Viewer } from '@sting/kit';
import { startTestRuntime, type TestRuntime } from '@sting/kit/testing';
import { subgraph } from '../src/index.ts';
import { buildUser, SYSTEM } from './factories.ts';
import { auditHash, GENESIS_HASH } from '../src/domain/audit/chain.ts';
import { recordAuditEvent, recordAuditEvents, type AuditEventInput } from '../src/domain/audit/record.ts';
import { auditTables } from '../src/domain/audit/tables.ts';
import {
  dropPartition,
  ensurePartition,
  listPartitions,
  monthStart,
  partitionName,
} from '../src/domain/audit/partitions.ts';
import { listAuditEvents } from '../src/domain/audit/read.ts';
import { maintainAuditLog } from '../src/domain/audit/retention.ts';
import { auditRetentionMonths, startAuditMaintenance } from '../src/domain/audit/maintenance.ts';
import { verifyAuditLog } from '../src/domain/audit/verify.ts';

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime(subgraph);
});
afterAll(async () => {
  await t.close();
});

function input(overrides: Partial<AuditEventInput> = {}): AuditEventInput {
  return {
    actor: { userId: randomUUID() },
    action: 'auth.sign_in',
    outcome: 'success',
    requestId: `req-${randomUUID()}`,
    clientAddress: '203.0.113.7',
    ...overrides,
  };
}

async function rows(): Promise<Record<string, any>[]> {
  const em = t.em();
  return em.execute(`select * from ${auditTables(em).events} order by seq`);
}

const badInput = { code: 'BAD_USER_INPUT' };

describe('appending', () => {
  it('stores a record chained to the one before, in its month partition, with a user.action event', async () => {
    const before = await rows();
    const record = await recordAuditEvent(
      t.em(),
      input({ targetType: 'User', targetId: 'u-1', details: { method: 'password' } }),
    );
    expect(record.prevHash).toBe(before.at(-1)?.hash ?? GENESIS_HASH);
    const { hash, ...fields } = record;
    expect(hash).toBe(auditHash(fields));

    const em = t.em();
    const [stored] = await em.execute(
      `select tableoid::regclass::text as partition, * from ${auditTables(em).events} where id = ?`,
      [record.id],
    );
    expect(stored.partition).toContain(partitionName(monthStart(record.at)));
    expect(stored).toMatchObject({
      actor_type: 'user',
      action: 'auth.sign_in',
      outcome: 'success',
      target_type: 'User',
      target_id: 'u-1',
      client_address: '203.0.113.7',
      details: { method: 'password' },
      hash: record.hash,
    });
    const event = await t.em().findOneOrFail(
      OutboxEvent,
      { topic: 'user.action' },
      {
        orderBy: { seq: 'desc' },
      },
    );
    expect(event.envelope).toMatchObject({
      type: 'user.action',
      source: 'identity',
      correlation_id: record.requestId,
      payload: { id: record.id, action: 'auth.sign_in', outcome: 'success' },
    });
  });

  it('keeps a batch in its order, each chained to the previous', async () => {
    const records = await recordAuditEvents(t.em(), [
      input({ action: 'mutation a' }),
      input({ action: 'mutation b' }),
      input({ action: 'mutation c' }),
    ]);
    expect(records.map((r) => r.action)).toEqual(['mutation a', 'mutation b', 'mutation c']);
    expect(records[1].prevHash).toBe(records[0].hash);
    expect(records[2].prevHash).toBe(records[1].hash);
    expect(BigInt(records[1].seq)).toBeGreaterThan(BigInt(records[0].seq));
  });

  it('marks API-key, system and anonymous actors', async () => {
    const [key, system, anonymous] = await recordAuditEvents(t.em(), [
      input({ actor: { userId: randomUUID(), apiKeyId: randomUUID() } }),
      input({ actor: { system: true } }),
      input({ actor: { anonymous: true }, outcome: 'failure' }),
    ]);
    expect([key.actorType, system.actorType, anonymous.actorType]).toEqual([
      'api_key',
      'system',
      'anonymous',
    ]);
    expect(key.apiKeyId).not.toBeNull();
    expect(anonymous.actorId).toBeNull();
  });

  it('redacts personal data and secrets in details with the Pollen Filter', async () => {
    const record = await recordAuditEvent(
      t.em(),
      input({
        details: { email: 'queen.bee@example.com', note: 'token ghp_abcdefghijklmnopqrstuvwxyz0123456789' },
      }),
    );
    const stored = (await rows()).find((r) => r.id === record.id)!;
    const text = JSON.stringify(stored.details);
    expect(text).not.toContain('queen.bee@example.com');
    expect(text).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
    expect(text).toContain('[EMAIL]');
  });

  it('redacts and cleans a target named by what a caller sent, and keeps ids as they are', async () => {
    const typed = await recordAuditEvent(
      t.em(),
      input({
        targetType: 'path',
        targetId: '/api/v1/documents/ivan.private@example.com\0/4111111111111111',
      }),
    );
    const id = randomUUID();
    const plain = await recordAuditEvent(t.em(), input({ targetType: 'document', targetId: id }));
    const stored = await rows();
    expect(stored.find((r) => r.id === typed.id)!.target_id).toBe('/api/v1/documents/[EMAIL]/[CARD]');
    expect(stored.find((r) => r.id === plain.id)!.target_id).toBe(id);
  });

  it('refuses bad input with BAD_USER_INPUT and writes nothing', async () => {
    const count = (await rows()).length;
    await expect(recordAuditEvent(t.em(), input({ action: '' }))).rejects.toMatchObject(badInput);
    await expect(recordAuditEvent(t.em(), input({ outcome: 'maybe' as never }))).rejects.toMatchObject(
      badInput,
    );
    await expect(recordAuditEvent(t.em(), input({ actor: { userId: 'nope' } }))).rejects.toMatchObject(
      badInput,
    );
    expect((await rows()).length).toBe(count);
  });

  it('commits or rolls back with the surrounding transaction', async () => {
    const requestId = `req-${randomUUID()}`;
    await expect(
      t.em().transactional(async (tx) => {
        await recordAuditEvent(tx, input({ requestId }));
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    expect((await rows()).some((r) => r.request_id === requestId)).toBe(false);
  });
});

describe('append-only', () => {
  it('refuses UPDATE and DELETE of a record', async () => {
    const record = await recordAuditEvent(t.em(), input());
    const em = t.em();
    const { events } = auditTables(em);
    await expect(
      em.execute(`update ${events} set outcome = 'failure' where id = ?`, [record.id]),
    ).rejects.toThrow(/append-only/);
    await expect(em.execute(`delete from ${events} where id = ?`, [record.id])).rejects.toThrow(
      /append-only/,
    );
    await expect(em.execute(`truncate ${events}`)).rejects.toThrow(/append-only/);
    expect((await rows()).find((r) => r.id === record.id)?.outcome).toBe('success');
  });
});

describe('concurrent appends', () => {
  it('stay one linear chain when two entity managers append at once', async () => {
    const [a, b] = [t.em(), t.em()];
    await Promise.all([
      Promise.all(
        Array.from({ length: 10 }, () => recordAuditEvent(a.fork(), input({ action: 'writer.a' }))),
      ),
      Promise.all(
        Array.from({ length: 10 }, () => recordAuditEvent(b.fork(), input({ action: 'writer.b' }))),
      ),
    ]);
    const all = await rows();
    for (let i = 1; i < all.length; i++) expect(all[i].prev_hash).toBe(all[i - 1].hash);
    expect(all.filter((r) => r.action.startsWith('writer.')).length).toBe(20);
  });
});

/** A log of its own (a fresh schema), for tests that tamper with it or move its time around. */
async function withOwnLog(test: (log: TestRuntime) => Promise<void>): Promise<void> {
  const log = await startTestRuntime(subgraph);
  try {
    await test(log);
  } finally {
    await log.close();
  }
}

/** Changes stored records the way an attacker with database access would: with the append-only trigger off. */
async function tamper(log: TestRuntime, sql: string, params: unknown[]): Promise<void> {
  await log.em().transactional(async (tx) => {
    await tx.execute(`set local session_replication_role = replica`);
    await tx.execute(sql.replaceAll('$events', auditTables(tx).events), params);
  });
}

describe('verification', () => {
  it('passes an intact chain and counts its records', async () => {
    await withOwnLog(async (log) => {
      await recordAuditEvents(log.em(), [input(), input(), input()]);
      expect(await verifyAuditLog(log.em())).toEqual({
        ok: true,
        checked: 3,
        firstBrokenId: null,
        firstBrokenSeq: null,
        reason: null,
      });
    });
  });

  it('names the first record whose contents were changed', async () => {
    await withOwnLog(async (log) => {
      const records = await recordAuditEvents(log.em(), [input(), input(), input(), input()]);
      await tamper(log, `update $events set outcome = 'failure' where id = ?`, [records[1].id]);
      await tamper(log, `update $events set action = 'nothing.to.see' where id = ?`, [records[3].id]);
      expect(await verifyAuditLog(log.em())).toMatchObject({
        ok: false,
        checked: 2,
        firstBrokenId: records[1].id,
        firstBrokenSeq: records[1].seq,
        reason: expect.stringContaining('contents'),
      });
    });
  });

  it('names the record after one that was removed, or rewritten with a fresh hash', async () => {
    await withOwnLog(async (log) => {
      const records = await recordAuditEvents(log.em(), [input(), input(), input()]);
      await tamper(log, `delete from $events where id = ?`, [records[1].id]);
      expect(await verifyAuditLog(log.em())).toMatchObject({ ok: false, firstBrokenId: records[2].id });
    });
    await withOwnLog(async (log) => {
      const records = await recordAuditEvents(log.em(), [input(), input(), input()]);
      const forged = { ...records[0], outcome: 'denied' as const };
      const { hash: _old, ...fields } = forged;
      await tamper(log, `update $events set outcome = 'denied', hash = ? where id = ?`, [
        auditHash(fields),
        records[0].id,
      ]);
      expect(await verifyAuditLog(log.em())).toMatchObject({
        ok: false,
        checked: 2,
        firstBrokenId: records[1].id,
        reason: expect.stringContaining('link'),
      });
    });
  });
});

describe('retention', () => {
  /** Writes chained records dated in a past month, as if the log had been running then. */
  async function backdated(log: TestRuntime, at: Date, count: number): Promise<string> {
    const em = log.em();
    const { events, seq } = auditTables(em);
    await ensurePartition(em, at);
    let prevHash = GENESIS_HASH;
    for (let i = 0; i < count; i++) {
      const [{ next }] = await em.execute<{ next: string }[]>(`select nextval('${seq}') as next`);
      const fields = { ...(await recordFields(input())), id: randomUUID(), seq: String(next), at, prevHash };
      const hash = auditHash(fields);
      await em.execute(
        `insert into ${events} (id, seq, at, actor_type, actor_id, action, outcome, request_id, details, prev_hash, hash)
         values (?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?)`,
        [
          fields.id,
          fields.seq,
          at,
          fields.actorType,
          fields.actorId,
          fields.action,
          fields.outcome,
          fields.requestId,
          prevHash,
          hash,
        ],
      );
      prevHash = hash;
    }
    return prevHash;
  }

  async function recordFields(i: AuditEventInput) {
    return {
      actorType: 'user' as const,
      actorId: i.actor.userId ?? null,
      apiKeyId: null,
      action: i.action,
      targetType: null,
      targetId: null,
      outcome: i.outcome,
      requestId: i.requestId,
      clientAddress: null,
      details: {},
    };
  }

  it('makes partitions ahead and drops months past the retention, keeping the chain verifiable', async () => {
    await withOwnLog(async (log) => {
      const now = new Date();
      const old = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 4, 10));
      const lastDroppedHash = await backdated(log, old, 3);
      const kept = await recordAuditEvents(log.em(), [input(), input()]);
      expect(kept[0].prevHash).toBe(lastDroppedHash);
      expect(await verifyAuditLog(log.em())).toMatchObject({ ok: true, checked: 5 });

      const done = await maintainAuditLog(log.em(), 3, now);
      expect(done.dropped).toEqual([old.toISOString().slice(0, 7)]);
      const months = (await listPartitions(log.em())).map((p) => partitionName(p.month));
      expect(months).not.toContain(partitionName(monthStart(old)));
      for (const offset of [0, 1, 2]) expect(months).toContain(partitionName(monthStart(now, offset)));

      expect(await verifyAuditLog(log.em())).toMatchObject({ ok: true, checked: 2 });
      // Without the anchor, the first remaining record no longer links to anything known.
      await log.em().execute(`delete from ${auditTables(log.em()).anchor}`);
      expect(await verifyAuditLog(log.em())).toMatchObject({ ok: false, firstBrokenId: kept[0].id });
    });
  });

  it('makes a month again that was dropped after appends had found it', async () => {
    await withOwnLog(async (log) => {
      const month = new Date(Date.UTC(2031, 4, 1));
      await log.em().transactional(async (tx) => {
        expect(await ensurePartition(tx, month)).toBe(true);
      });
      expect(await ensurePartition(log.em(), month)).toBe(false); // seen, and now remembered
      await dropPartition(log.em(), partitionName(month));
      expect(await ensurePartition(log.em(), month)).toBe(true);
      const months = (await listPartitions(log.em())).map((p) => partitionName(p.month));
      expect(months).toContain(partitionName(month));
    });
  });

  it('remembers partitions per database: another ORM with the same schema name asks its own', async () => {
    const month = new Date(Date.UTC(2032, 0, 1));
    const database = () => {
      const statements: string[] = [];
      const config = { get: (key: string) => (key === 'schema' ? 'identity' : undefined) };
      const em = {
        config,
        execute: async (sql: string) => {
          statements.push(sql);
          return sql.includes('to_regclass') ? [{ found: 'x' }] : [];
        },
      };
      return { em: em as never, statements };
    };
    const first = database();
    await ensurePartition(first.em, month);
    await ensurePartition(first.em, month);
    expect(first.statements).toHaveLength(1);
    const second = database(); // a platform started afresh in the same process, on a new database
    await ensurePartition(second.em, month);
    expect(second.statements).toHaveLength(1);
  });

  it('runs when the subgraph starts; its daily timer ends with the runtime stop hooks', async () => {
    await withOwnLog(async (log) => {
      const hooks = log.runtime.stopHooks.length;
      await startAuditMaintenance(log.runtime as never);
      const months = (await listPartitions(log.em())).map((p) => partitionName(p.month));
      for (const offset of [0, 1, 2]) expect(months).toContain(partitionName(monthStart(new Date(), offset)));
      expect(log.runtime.stopHooks).toHaveLength(hooks + 1);
      await log.runtime.stopHooks.pop()!();
    });
  });

  it('keeps months still inside the retention, and reads its setting with a default of 13', async () => {
    await withOwnLog(async (log) => {
      const now = new Date();
      await backdated(log, new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 4, 10)), 1);
      expect((await maintainAuditLog(log.em(), auditRetentionMonths({}), now)).dropped).toEqual([]);
      expect(auditRetentionMonths({ identity: { audit: { retentionMonths: 6 } } })).toBe(6);
    });
  });
});

describe('reading', () => {
  it('filters by actor, action, target, outcome and time, newest first, page by page', async () => {
    await withOwnLog(async (log) => {
      const alice = randomUUID();
      const key = randomUUID();
      const before = new Date(Date.now() - 1000);
      await recordAuditEvents(log.em(), [
        input({ actor: { userId: alice }, action: 'auth.sign_in' }),
        input({ actor: { userId: alice }, action: 'auth.sign_in', outcome: 'failure' }),
        input({
          actor: { userId: alice, apiKeyId: key },
          action: 'mutation createHoneyJar',
          targetType: 'HoneyJar',
          targetId: 'j1',
        }),
        input({ action: 'user.role_changed', targetType: 'User', targetId: alice, outcome: 'denied' }),
        input({ action: 'auth.totp.enrolled' }),
      ]);
      const actions = async (filter: Record<string, unknown>) =>
        (await listAuditEvents(log.em(), { filter })).nodes.map((n) => `${n.action}/${n.outcome}`);

      expect(await actions({ actor: alice })).toEqual([
        'mutation createHoneyJar/success',
        'auth.sign_in/failure',
        'auth.sign_in/success',
      ]);
      expect(await actions({ actor: key })).toEqual(['mutation createHoneyJar/success']);
      expect(await actions({ action: 'auth.*' })).toEqual([
        'auth.totp.enrolled/success',
        'auth.sign_in/failure',
        'auth.sign_in/success',
      ]);
      expect(await actions({ targetType: 'User', targetId: alice })).toEqual(['user.role_changed/denied']);
      expect(await actions({ outcome: 'failure' })).toEqual(['auth.sign_in/failure']);
      expect(await actions({ from: before, to: new Date(Date.now() + 60_000) })).toHaveLength(5);
      expect(await actions({ to: before })).toEqual([]);

      const seen: string[] = [];
      let after: string | null = null;
      for (let pages = 0; pages < 5; pages++) {
        const page = await listAuditEvents(log.em(), { first: 2, after });
        seen.push(...page.nodes.map((n) => n.seq));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect(seen).toHaveLength(5);
      expect([...seen].sort((a, b) => Number(b) - Number(a))).toEqual(seen);
    });
  });

  it('refuses a bad cursor, page size, actor id or time with BAD_USER_INPUT', async () => {
    await expect(listAuditEvents(t.em(), { after: 'bogus' })).rejects.toMatchObject(badInput);
    await expect(listAuditEvents(t.em(), { first: 0 })).rejects.toMatchObject(badInput);
    await expect(listAuditEvents(t.em(), { first: 1000 })).rejects.toMatchObject(badInput);
    await expect(listAuditEvents(t.em(), { filter: { actor: 'alice' } })).rejects.toMatchObject(badInput);
    await expect(listAuditEvents(t.em(), { filter: { from: new Date(NaN) } })).rejects.toMatchObject(
      badInput,
    );
  });
});

describe('through GraphQL', () => {
  const admin: Viewer = { kind: 'user', id: randomUUID(), role: 'ADMIN' };
  const member: Viewer = { kind: 'user', id: randomUUID(), role: 'MEMBER' };
  const APPEND = `mutation ($events: [AuditEventInput!]!) { appendAuditEvents(events: $events) }`;
  const READ = `query ($filter: AuditFilter, $first: Int) {
    auditEvents(filter: $filter, first: $first) {
      nodes { seq actorType actorId apiKeyId action targetType targetId outcome requestId clientAddress details hash }
      pageInfo { hasNextPage endCursor }
    }
  }`;

  it('lets only the gateway append, in order, and administrators read and verify', async () => {
    const requestId = `req-${randomUUID()}`;
    const keyId = randomUUID();
    const events = [
      {
        actorType: 'API_KEY',
        actorId: member.kind === 'user' ? member.id : null,
        apiKeyId: keyId,
        action: 'mutation createHoneyJar',
        targetType: 'HoneyJar',
        outcome: 'SUCCESS',
        requestId,
        clientAddress: '198.51.100.4',
        details: JSON.stringify({ note: 'write to queen@example.com' }),
      },
      { actorType: 'ANONYMOUS', action: 'query auditEvents', outcome: 'DENIED', requestId },
    ];
    expect((await t.run(SYSTEM, APPEND, { events })).data).toEqual({ appendAuditEvents: 2 });
    for (const viewer of [admin, member, null]) {
      expect((await t.run(viewer, APPEND, { events })).errors?.[0].extensions?.code).toMatch(
        /FORBIDDEN|UNAUTHENTICATED/,
      );
    }

    const read = await t.run(admin, READ, { filter: { actor: keyId }, first: 5 });
    expect(read.errors).toBeUndefined();
    const [node] = read.data.auditEvents.nodes;
    expect(node).toMatchObject({
      actorType: 'API_KEY',
      apiKeyId: keyId,
      action: 'mutation createHoneyJar',
      outcome: 'SUCCESS',
      requestId,
      clientAddress: '198.51.100.4',
    });
    expect(node.details).not.toContain('queen@example.com');
    const denied = await t.run(admin, READ, { filter: { outcome: 'DENIED', action: 'query auditEvents' } });
    expect(denied.data.auditEvents.nodes[0]).toMatchObject({ actorType: 'ANONYMOUS', requestId });

    expect((await t.run(member, READ, {})).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await t.run(null, READ, {})).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const verified = await t.run(admin, `{ verifyAuditLog { ok checked firstBrokenId } }`);
    expect(verified.data.verifyAuditLog).toMatchObject({ ok: true, firstBrokenId: null });
    expect(verified.data.verifyAuditLog.checked).toBeGreaterThan(2);
    expect((await t.run(member, `{ verifyAuditLog { ok } }`)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('names the person who acted as they are now; none for one who no longer exists', async () => {
    const ada = await buildUser(t.em());
    const requestId = `req-${randomUUID()}`;
    const gone = randomUUID();
    const events = [ada.id, gone].map((actorId) => ({
      actorType: 'USER',
      actorId,
      action: 'mutation renameHoneyJar',
      outcome: 'SUCCESS',
      requestId,
    }));
    expect((await t.run(SYSTEM, APPEND, { events })).errors).toBeUndefined();
    const read = await t.run(
      admin,
      `query ($filter: AuditFilter) { auditEvents(filter: $filter) { nodes { actorId actor { id displayName } } } }`,
      { filter: { action: 'mutation renameHoneyJar' } },
    );
    expect(read.errors).toBeUndefined();
    const byActor = new Map(read.data.auditEvents.nodes.map((n: any) => [n.actorId, n.actor]));
    expect(byActor.get(ada.id)).toEqual({ id: ada.id, displayName: ada.displayName });
    expect(byActor.get(gone)).toBeNull();
  });

  it('refuses details that are not a JSON object, and appends nothing of the batch', async () => {
    const requestId = `req-${randomUUID()}`;
    const outcome = await t.run(SYSTEM, APPEND, {
      events: [
        { actorType: 'SYSTEM', action: 'ok', outcome: 'SUCCESS', requestId },
        { actorType: 'SYSTEM', action: 'bad', outcome: 'SUCCESS', requestId, details: '[1,2]' },
      ],
    });
    expect(outcome.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await rows()).some((r) => r.request_id === requestId)).toBe(false);
  });
});
