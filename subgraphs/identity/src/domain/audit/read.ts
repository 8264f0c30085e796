// Reading the audit log: newest first, filtered, one page at a time by an opaque cursor on the chain's order (seq).
import type { EntityManager } from '@mikro-orm/postgresql';
import { BadUserInputError, checkedInstant, isId, pageSize } from '@sting/kit';
import { AUDIT_OUTCOMES, type AuditOutcome } from './chain.ts';
import type { AuditRecord } from './record.ts';
import { auditTables } from './tables.ts';
import { fieldsOfRow, type AuditRow } from './verify.ts';

/** Every given field must match; `from` and `to` bound the record's time (`to` exclusive). */
export interface AuditFilter {
  /** A user's or an API key's id: records they acted in. */
  actor?: string | null;
  /** An exact action, or a prefix ending in `*` (`auth.*`). */
  action?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  outcome?: AuditOutcome | null;
  from?: Date | null;
  to?: Date | null;
}

export interface AuditPage {
  nodes: AuditRecord[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}

export const MAX_AUDIT_PAGE = 200;

const encodeCursor = (seq: string): string => Buffer.from(`seq:${seq}`).toString('base64url');

function decodeCursor(cursor: string): string {
  const match = /^seq:(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match) throw new BadUserInputError('after is not a valid cursor', 'after');
  return match[1];
}

/** SQL conditions and their parameters for a filter, after checking each value. */
function conditions(filter: AuditFilter): { sql: string[]; params: unknown[] } {
  const sql: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, ...values: unknown[]) => {
    sql.push(condition);
    params.push(...values);
  };
  if (filter.actor) {
    if (!isId(filter.actor)) throw new BadUserInputError('actor is not a valid id', 'actor');
    add('(actor_id = ? or api_key_id = ?)', filter.actor, filter.actor);
  }
  if (filter.action) {
    if (filter.action.endsWith('*')) {
      const prefix = filter.action.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`);
      add(`action like ?`, `${prefix}%`);
    } else add('action = ?', filter.action);
  }
  if (filter.targetType) add('target_type = ?', filter.targetType);
  if (filter.targetId) add('target_id = ?', filter.targetId);
  if (filter.outcome) {
    if (!AUDIT_OUTCOMES.includes(filter.outcome)) {
      throw new BadUserInputError(`outcome must be one of ${AUDIT_OUTCOMES.join(', ')}`, 'outcome');
    }
    add('outcome = ?', filter.outcome);
  }
  const from = checkedInstant(filter.from, 'from');
  const to = checkedInstant(filter.to, 'to');
  if (from) add('at >= ?', from);
  if (to) add('at < ?', to);
  return { sql, params };
}

/** Newest first; one more row than asked tells whether another page follows. */
export async function listAuditEvents(
  em: EntityManager,
  args: { filter?: AuditFilter | null; first?: number | null; after?: string | null },
): Promise<AuditPage> {
  const size = pageSize(args.first, { default: 50, max: MAX_AUDIT_PAGE });
  const { sql, params } = conditions(args.filter ?? {});
  if (args.after) {
    sql.push('seq < ?');
    params.push(decodeCursor(args.after));
  }
  const where = sql.length ? `where ${sql.join(' and ')}` : '';
  const rows = await em.execute<AuditRow[]>(
    `select * from ${auditTables(em).events} ${where} order by seq desc limit ${size + 1}`,
    params,
  );
  const nodes = rows.slice(0, size).map((row) => ({ ...fieldsOfRow(row), hash: row.hash }));
  const last = nodes.at(-1);
  return {
    nodes,
    pageInfo: { hasNextPage: rows.length > size, endCursor: last ? encodeCursor(last.seq) : null },
  };
}
