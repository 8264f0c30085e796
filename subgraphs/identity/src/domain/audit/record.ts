// Appending to the audit log. Callers record IN the transaction of the action they record (a sign-in, a role
// change), so the action and its record commit together or not at all; the record's `user.action` event goes
// to the outbox in the same transaction. Appends are serialized by an advisory lock, so the hash chain stays one
// line whichever replica writes.
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  BadUserInputError,
  createEvent,
  enqueueEvent,
  EventTypes,
  inTransaction,
  isId,
  processPollenFilter,
  Topics,
  type Viewer,
} from '@sting/kit';
import {
  AUDIT_OUTCOMES,
  auditHash,
  GENESIS_HASH,
  type AuditActorType,
  type AuditDetails,
  type AuditOutcome,
  type ChainedAuditFields,
} from './chain.ts';
import { ensurePartition } from './partitions.ts';
import { auditTables, lockAuditChain } from './tables.ts';

/** Who acted: a person, a person's API key, the platform itself, or nobody signed in. */
export interface AuditActorInput {
  userId?: string | null;
  apiKeyId?: string | null;
  anonymous?: boolean;
  system?: boolean;
}

export interface AuditEventInput {
  actor: AuditActorInput;
  /** Dotted for identity's own records (`auth.sign_in`), `mutation <field>` / a route name for the gateway's. */
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  outcome: AuditOutcome;
  requestId: string;
  clientAddress?: string | null;
  /** Redacted by the Pollen Filter before it is stored or published. */
  details?: AuditDetails | null;
}

/** A stored record, as readers and the `user.action` event see it. */
export interface AuditRecord extends ChainedAuditFields {
  hash: string;
}

const ACTION = /^[\w.:\-/ ]{1,200}$/;
const MAX_DETAILS_CHARS = 16_384;

/** The actor of a request's viewer: the key's owner and the key for API-key callers. */
export function auditActorOf(viewer: Viewer | null): AuditActorInput {
  if (!viewer) return { anonymous: true };
  if (viewer.kind === 'system') return { system: true };
  return { userId: viewer.id, apiKeyId: viewer.apiKey?.id ?? null };
}

function actorFields(actor: AuditActorInput): Pick<ChainedAuditFields, 'actorType' | 'actorId' | 'apiKeyId'> {
  for (const [field, id] of [
    ['actor.userId', actor.userId],
    ['actor.apiKeyId', actor.apiKeyId],
  ] as const) {
    if (id != null && !isId(id)) throw new BadUserInputError(`${field} is not a valid id`, field);
  }
  const actorId = actor.userId ?? null;
  const apiKeyId = actor.apiKeyId ?? null;
  const actorType: AuditActorType = apiKeyId
    ? 'api_key'
    : actorId
      ? 'user'
      : actor.system
        ? 'system'
        : 'anonymous';
  return { actorType, actorId, apiKeyId };
}

function optionalText(value: string | null | undefined, max: number): string | null {
  if (value == null || value === '') return null;
  return String(value).slice(0, max);
}

/**
 * A value a caller may have typed (a target named by the id or path they sent: anyone, signed in or not, can put
 * text there), Pollen-filtered like `details` and without NUL characters, which text columns refuse.
 */
function filteredText(value: string | null | undefined, max: number): string | null {
  if (value == null || value === '') return null;
  return optionalText(processPollenFilter().redactString(String(value)).replaceAll('\0', ''), max);
}

/** Pollen-filtered, without NUL characters (jsonb refuses them), and bounded in size. */
function storedDetails(details: AuditDetails | null | undefined): AuditDetails {
  if (!details) return {};
  if (typeof details !== 'object' || Array.isArray(details)) {
    throw new BadUserInputError('details must be an object', 'details');
  }
  const text = JSON.stringify(processPollenFilter().redactRecord(details), (_key, value: unknown) =>
    typeof value === 'string' ? value.replaceAll('\0', '') : value,
  );
  if (text.length > MAX_DETAILS_CHARS)
    return { omitted: `details longer than ${MAX_DETAILS_CHARS} characters` };
  return JSON.parse(text) as AuditDetails;
}

type UnchainedFields = Omit<ChainedAuditFields, 'id' | 'seq' | 'at' | 'prevHash'>;

function validated(input: AuditEventInput): UnchainedFields {
  const action = typeof input.action === 'string' ? input.action.trim() : '';
  if (!ACTION.test(action)) {
    throw new BadUserInputError('action must be 1 to 200 letters, digits, spaces or . _ - : /', 'action');
  }
  if (!AUDIT_OUTCOMES.includes(input.outcome)) {
    throw new BadUserInputError(`outcome must be one of ${AUDIT_OUTCOMES.join(', ')}`, 'outcome');
  }
  return {
    ...actorFields(input.actor ?? {}),
    action,
    targetType: optionalText(input.targetType, 100),
    targetId: filteredText(input.targetId, 200),
    outcome: input.outcome,
    requestId: optionalText(input.requestId, 200),
    clientAddress: optionalText(input.clientAddress, 100),
    details: storedDetails(input.details),
  };
}

interface ChainHead {
  hash: string;
  at: Date | null;
}

/**
 * Read under the chain lock, in one statement: the newest record's hash and time (after retention emptied the
 * table, the anchor's hash; else the genesis hash), the database's clock, and `count` sequence numbers, ascending.
 */
async function chainHead(
  em: EntityManager,
  count: number,
): Promise<{ head: ChainHead; now: Date; seqs: string[] }> {
  const { events, anchor, seq } = auditTables(em);
  const [row] = await em.execute<
    { hash: string | null; at: Date | null; anchored: string | null; now: Date; seqs: string[] }[]
  >(
    `select last.hash, last.at, (select last_hash from ${anchor} where id = 1) as anchored,
       clock_timestamp() as now,
       array(select nextval('${seq}')::text from generate_series(1, ?)) as seqs
     from (select 1) one left join lateral (select hash, at from ${events} order by seq desc limit 1) last on true`,
    [count],
  );
  const head: ChainHead = row.hash
    ? { hash: row.hash, at: new Date(row.at!) }
    : { hash: row.anchored ?? GENESIS_HASH, at: null };
  const seqs = [...row.seqs].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
  return { head, now: new Date(row.now), seqs };
}

async function insertRecords(em: EntityManager, records: AuditRecord[]): Promise<void> {
  const { events } = auditTables(em);
  const row = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?)';
  await em.execute(
    `insert into ${events} (id, seq, at, actor_type, actor_id, api_key_id, action, target_type, target_id,
       outcome, request_id, client_address, details, prev_hash, hash)
     values ${records.map(() => row).join(', ')}`,
    records.flatMap((r) => [
      r.id,
      r.seq,
      r.at,
      r.actorType,
      r.actorId,
      r.apiKeyId,
      r.action,
      r.targetType,
      r.targetId,
      r.outcome,
      r.requestId,
      r.clientAddress,
      JSON.stringify(r.details),
      r.prevHash,
      r.hash,
    ]),
  );
}

function publish(em: EntityManager, record: AuditRecord): void {
  const { hash: _hash, prevHash: _prev, at, ...rest } = record;
  enqueueEvent(
    em,
    Topics.user.action,
    createEvent(
      EventTypes.userAction,
      { ...rest, at: at.toISOString() },
      {
        source: 'identity',
        correlationId: record.requestId,
        metadata: { actorId: record.actorId, auditEventId: record.id, action: record.action },
      },
    ),
  );
}

/**
 * Appends records in the order given, chained to the log's newest record, each published as a `user.action`
 * event. Joins `em`'s transaction when there is one, otherwise runs in its own. Invalid input throws
 * BAD_USER_INPUT before anything is written. The chain lock is held until the transaction ends, so call this as
 * the transaction's last statement: a transaction that took the lock and then waited for a row another appender
 * holds would deadlock with it.
 */
export async function recordAuditEvents(
  em: EntityManager,
  inputs: readonly AuditEventInput[],
): Promise<AuditRecord[]> {
  const fields = inputs.map(validated);
  if (fields.length === 0) return [];
  return inTransaction(em, async () => {
    await lockAuditChain(em);
    const { head, now, seqs } = await chainHead(em, fields.length);
    // Never earlier than the record before: retention drops months, and must only ever drop the chain's start.
    const at = new Date(Math.max(now.getTime(), head.at?.getTime() ?? 0));
    await ensurePartition(em, at);
    let prevHash = head.hash;
    const records = fields.map((f, i) => {
      const chained: ChainedAuditFields = { ...f, id: randomUUID(), seq: seqs[i], at, prevHash };
      const record = { ...chained, hash: auditHash(chained) };
      prevHash = record.hash;
      return record;
    });
    await insertRecords(em, records);
    for (const record of records) publish(em, record);
    return records;
  });
}

/** Appends one record (see `recordAuditEvents`). */
export async function recordAuditEvent(em: EntityManager, input: AuditEventInput): Promise<AuditRecord> {
  const [record] = await recordAuditEvents(em, [input]);
  return record;
}
