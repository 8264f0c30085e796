// The audit log against a real PostgreSQL: appends chained in order, one line across concurrent writers, the
// append-only trigger, Pollen-filtered details, the user.action event in the same transaction.
import { randomUUID } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { OutboxEvent } from '@sting/kit';
import { startTestRuntime, type TestRuntime } from '@sting/kit/testing';
import { subgraph } from '../src/index.ts';
import { auditHash, GENESIS_HASH } from '../src/domain/audit/chain.ts';
import { recordAuditEvent, recordAuditEvents, type AuditEventInput } from '../src/domain/audit/record.ts';
import { auditTables } from '../src/domain/audit/tables.ts';
import { partitionName, monthStart } from '../src/domain/audit/partitions.ts';

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

async function failure(run: Promise<unknown>) {
  try {
    await run;
  } catch (err) {
    return { code: (err as { code?: string }).code, message: (err as Error).message };
  }
  throw new Error('expected a failure');
}

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

  it('refuses bad input with BAD_USER_INPUT and writes nothing', async () => {
    const count = (await rows()).length;
    expect((await failure(recordAuditEvent(t.em(), input({ action: '' })))).code).toBe('BAD_USER_INPUT');
    expect((await failure(recordAuditEvent(t.em(), input({ outcome: 'maybe' as never })))).code).toBe(
      'BAD_USER_INPUT',
    );
    expect((await failure(recordAuditEvent(t.em(), input({ actor: { userId: 'nope' } })))).code).toBe(
      'BAD_USER_INPUT',
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
