// Runs the audit log's upkeep (retention.ts) when the subgraph starts and once a day after, until it stops.
import type { SubgraphRuntime } from '@sting/kit';
import { DEFAULT_AUDIT_RETENTION_MONTHS, maintainAuditLog } from './retention.ts';

const DAY_MS = 24 * 3600 * 1000;

/** The part of identity's configuration the audit log reads; absent keys take their defaults. */
export interface AuditConfig {
  identity?: { audit?: { retentionMonths?: number } };
}

export function auditRetentionMonths(config: AuditConfig): number {
  const months = Number(config.identity?.audit?.retentionMonths);
  return Number.isInteger(months) && months > 0 ? months : DEFAULT_AUDIT_RETENTION_MONTHS;
}

/** Maintains the log now, then daily; the timer and any pass in flight end with the runtime's stop hooks. */
export async function startAuditMaintenance(runtime: SubgraphRuntime<'identity'>): Promise<void> {
  const months = auditRetentionMonths(runtime.config as AuditConfig);
  let running: Promise<void> = Promise.resolve();
  const pass = async () => {
    try {
      const done = await maintainAuditLog(runtime.orm.em.fork({ clear: true, useContext: false }), months);
      if (done.created.length || done.dropped.length) {
        runtime.logger.info({ subgraph: 'identity', ...done }, 'audit log partitions maintained');
      }
    } catch (err) {
      runtime.logger.error({ subgraph: 'identity', err }, 'audit log maintenance failed');
    }
  };
  await (running = pass());
  const timer = setInterval(() => {
    running = running.then(pass);
  }, DAY_MS);
  timer.unref();
  runtime.stopHooks.push(async () => {
    clearInterval(timer);
    await running;
  });
}
