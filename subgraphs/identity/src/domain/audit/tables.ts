// Schema-qualified names of the audit tables: raw SQL runs on connections whose search_path is not the subgraph's
// schema (a test's throwaway schema, or `identity`), so every statement names it.
import type { EntityManager } from '@mikro-orm/postgresql';

export interface AuditTables {
  schema: string;
  events: string;
  anchor: string;
  seq: string;
  /** The advisory lock key serializing appends (and partition drops) to one schema's chain. */
  lockKey: string;
}

export function auditTables(em: EntityManager): AuditTables {
  const schema = String(em.config.get('schema'));
  return {
    schema,
    events: `"${schema}"."audit_event"`,
    anchor: `"${schema}"."audit_anchor"`,
    seq: `"${schema}"."audit_event_seq"`,
    lockKey: `sting.identity.audit:${schema}`,
  };
}

/** Holds the chain's append lock until the surrounding transaction ends. */
export async function lockAuditChain(em: EntityManager): Promise<void> {
  await em.execute(`select pg_advisory_xact_lock(hashtext(?))`, [auditTables(em).lockKey]);
}
