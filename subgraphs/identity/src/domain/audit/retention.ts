// Audit log upkeep: partitions for this month and the next two exist before they are needed, and months past
// the retention are dropped whole (rows cannot be deleted). Before a drop, the newest dropped record's hash goes
// to the anchor, so verification can still check the first remaining record's link.
import type { EntityManager } from '@mikro-orm/postgresql';
import { dropPartition, ensurePartition, listPartitions, monthStart } from './partitions.ts';
import { auditTables, lockAuditChain } from './tables.ts';

export const DEFAULT_AUDIT_RETENTION_MONTHS = 13;
/** Months made ahead of the current one. */
const MONTHS_AHEAD = 2;

export interface AuditMaintenance {
  created: string[];
  dropped: string[];
}

/** The instant `months` months before `now` (records older than it are past the retention). */
export function retentionCutoff(now: Date, months: number): Date {
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
  return cutoff;
}

export async function maintainAuditLog(
  em: EntityManager,
  retentionMonths: number,
  now: Date = new Date(),
): Promise<AuditMaintenance> {
  return em.transactional(async (tx) => {
    // The chain lock: no append runs while the anchor moves and partitions come and go.
    await lockAuditChain(tx);
    const created: string[] = [];
    for (let offset = 0; offset <= MONTHS_AHEAD; offset++) {
      const month = monthStart(now, offset);
      if (await ensurePartition(tx, month)) created.push(month.toISOString().slice(0, 7));
    }
    const cutoff = retentionCutoff(now, retentionMonths);
    const expired = (await listPartitions(tx)).filter((p) => monthStart(p.month, 1) <= cutoff);
    const { schema, anchor } = auditTables(tx);
    for (const partition of expired) {
      const [newest] = await tx.execute<{ seq: string; hash: string }[]>(
        `select seq, hash from "${schema}"."${partition.name}" order by seq desc limit 1`,
      );
      if (newest) {
        await tx.execute(
          `insert into ${anchor} as a (id, last_seq, last_hash, dropped_through) values (1, ?, ?, ?)
           on conflict (id) do update set last_seq = excluded.last_seq, last_hash = excluded.last_hash,
             dropped_through = excluded.dropped_through
           where a.last_seq < excluded.last_seq`,
          [newest.seq, newest.hash, monthStart(partition.month, 1)],
        );
      }
      await dropPartition(tx, partition.name);
    }
    return { created, dropped: expired.map((p) => p.month.toISOString().slice(0, 7)) };
  });
}
