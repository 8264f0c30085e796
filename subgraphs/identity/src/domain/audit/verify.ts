// Walks the audit log's hash chain from its oldest remaining record (checked against the retention anchor, or the
// genesis hash) to its newest, and names the first record whose link or contents do not match.
import { IsolationLevel } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { auditHash, GENESIS_HASH, type ChainedAuditFields } from './chain.ts';
import { auditTables } from './tables.ts';

export interface AuditVerification {
  ok: boolean;
  /** Records checked (up to and including the first broken one). */
  checked: number;
  firstBrokenId: string | null;
  firstBrokenSeq: string | null;
  /** Why that record is broken: its link to the record before, or its own contents. */
  reason: string | null;
}

/** A stored row as PostgreSQL returns it. */
export interface AuditRow {
  id: string;
  seq: string;
  at: Date | string;
  actor_type: ChainedAuditFields['actorType'];
  actor_id: string | null;
  api_key_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: ChainedAuditFields['outcome'];
  request_id: string | null;
  client_address: string | null;
  details: ChainedAuditFields['details'] | null;
  prev_hash: string;
  hash: string;
}

export function fieldsOfRow(row: AuditRow): ChainedAuditFields {
  return {
    id: row.id,
    seq: String(row.seq),
    at: new Date(row.at),
    actorType: row.actor_type,
    actorId: row.actor_id,
    apiKeyId: row.api_key_id,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    outcome: row.outcome,
    requestId: row.request_id,
    clientAddress: row.client_address,
    details: row.details ?? {},
    prevHash: row.prev_hash,
  };
}

const PAGE = 1000;

/** Checks the whole chain in one consistent snapshot; appends made meanwhile are left for the next run. */
export async function verifyAuditLog(em: EntityManager): Promise<AuditVerification> {
  const { events, anchor } = auditTables(em);
  return em.transactional(
    async (tx) => {
      const [anchored] = await tx.execute<{ last_hash: string }[]>(
        `select last_hash from ${anchor} where id = 1`,
      );
      let prevHash = anchored?.last_hash ?? GENESIS_HASH;
      let afterSeq = '0';
      let checked = 0;
      for (;;) {
        const rows = await tx.execute<AuditRow[]>(
          `select * from ${events} where seq > ? order by seq limit ${PAGE}`,
          [afterSeq],
        );
        for (const row of rows) {
          checked++;
          const broken = (reason: string): AuditVerification => ({
            ok: false,
            checked,
            firstBrokenId: row.id,
            firstBrokenSeq: String(row.seq),
            reason,
          });
          if (row.prev_hash !== prevHash) return broken('its link to the previous record does not match');
          if (auditHash(fieldsOfRow(row)) !== row.hash) return broken('its contents do not match its hash');
          prevHash = row.hash;
        }
        if (rows.length < PAGE)
          return { ok: true, checked, firstBrokenId: null, firstBrokenSeq: null, reason: null };
        afterSeq = String(rows[rows.length - 1].seq);
      }
    },
    { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
  );
}
