// The audit log's hash chain: each record's hash is the SHA-256 of a canonical serialization of its fields and the
// previous record's hash, so changing, removing or reordering any stored record breaks every hash after it.
import { createHash } from 'node:crypto';

/** The `prev_hash` of the very first record (and of the first after an empty anchor). */
export const GENESIS_HASH = '0'.repeat(64);

export type AuditActorType = 'user' | 'api_key' | 'system' | 'anonymous';
export type AuditOutcome = 'success' | 'failure' | 'denied';
export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ['success', 'failure', 'denied'];

export type AuditDetails = Record<string, unknown>;

/** Every stored field of a record that its hash covers (all but the hash itself). */
export interface ChainedAuditFields {
  id: string;
  /** bigint, as a decimal string: JavaScript numbers lose integers past 2^53. */
  seq: string;
  at: Date;
  actorType: AuditActorType;
  actorId: string | null;
  apiKeyId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: AuditOutcome;
  requestId: string | null;
  clientAddress: string | null;
  details: AuditDetails;
  prevHash: string;
}

/**
 * JSON with object keys sorted at every level: PostgreSQL's jsonb hands keys back in its own order, so the text
 * hashed when writing and when verifying must not depend on key order.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The record's hash: fields in a fixed order (a positional array, so no field can pose as another). */
export function auditHash(fields: ChainedAuditFields): string {
  const text = canonicalJson([
    'sting.audit.v1',
    fields.id,
    fields.seq,
    fields.at.toISOString(),
    fields.actorType,
    fields.actorId,
    fields.apiKeyId,
    fields.action,
    fields.targetType,
    fields.targetId,
    fields.outcome,
    fields.requestId,
    fields.clientAddress,
    fields.details,
    fields.prevHash,
  ]);
  return createHash('sha256').update(text).digest('hex');
}
