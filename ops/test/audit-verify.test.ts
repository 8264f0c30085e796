// `npm run audit:verify` against a real PostgreSQL: an intact chain passes, an edited record is named.
import { randomUUID } from 'node:crypto';
import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { startTestRuntime, type TestRuntime } from '@sting/kit/testing';
import { subgraph as identity } from '@sting/identity';
import { recordAuditEvents } from '@sting/identity/domain/audit/record.ts';
import { auditTables } from '@sting/identity/domain/audit/tables.ts';
import { describeVerification, verifyAuditChain } from '../src/audit-verify.ts';

const clientUrl = process.env.DATABASE_URL ?? 'postgres://sting@127.0.0.1:55432/sting_test';
let log: TestRuntime;
beforeAll(async () => {
  log = await startTestRuntime(identity);
});
afterAll(() => log.close());

describe('audit:verify', () => {
  it('passes an intact chain, then names the record edited behind the trigger’s back', async () => {
    const records = await recordAuditEvents(
      log.em(),
      ['auth.sign_in', 'user.role_changed', 'auth.sign_in'].map((action) => ({
        actor: { userId: randomUUID() },
        action,
        outcome: 'success' as const,
        requestId: randomUUID(),
      })),
    );
    const schema = auditTables(log.em()).schema;
    const intact = await verifyAuditChain(clientUrl, schema);
    expect(intact).toMatchObject({ ok: true, checked: 3 });
    expect(describeVerification(intact)).toBe('audit log intact: 3 records checked');

    await log.em().transactional(async (tx) => {
      await tx.execute(`set local session_replication_role = replica`);
      await tx.execute(`update ${auditTables(tx).events} set actor_id = ? where id = ?`, [
        randomUUID(),
        records[1].id,
      ]);
    });
    const broken = await verifyAuditChain(clientUrl, schema);
    expect(broken).toMatchObject({ ok: false, firstBrokenId: records[1].id });
    expect(describeVerification(broken)).toContain(`BROKEN at record ${records[1].id}`);
  });
});
