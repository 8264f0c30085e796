// Appending the gateway's audit records to identity's audit log: the records as identity's AuditEventInput, sent
// with a system assertion through identity's data source (the @inaccessible appendAuditEvents is for it alone).
import { randomUUID } from 'node:crypto';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { GatewayContext } from '../context.ts';
import type { Federation } from '../federation.ts';
import type { AuditRecord } from '../pipeline/audit.ts';

/** identity's `AuditEventInput`. */
export interface AuditEventInput {
  actorType: 'USER' | 'API_KEY' | 'SYSTEM' | 'ANONYMOUS';
  actorId?: string;
  apiKeyId?: string;
  action: string;
  targetType?: string;
  targetId?: string;
  outcome: 'SUCCESS' | 'FAILURE' | 'DENIED';
  requestId: string;
  clientAddress?: string;
  details?: string;
}

/** Sends one batch; throws AuditAppendRefused when identity refused it (sending it again cannot help). */
export type AuditAppender = (events: AuditEventInput[]) => Promise<void>;

export class AuditAppendRefused extends Error {}

const APPEND = `mutation AppendAuditEvents($events: [AuditEventInput!]!) { appendAuditEvents(events: $events) }`;

/** Failures worth another attempt: identity (or the way to it) was down, not the batch wrong. */
const RETRYABLE = new Set(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE', undefined]);

/** `id=…` names a record by id; `type:id` (a plain route's target) says what it is; else it is a path. */
function target(record: AuditRecord): Pick<AuditEventInput, 'targetType' | 'targetId'> {
  const named = record.target;
  if (!named) return {};
  const typed = /^([A-Za-z][\w-]{0,99}):(.{1,200})$/.exec(named);
  if (typed && !named.startsWith('/')) return { targetType: typed[1], targetId: typed[2] };
  const ids = /^(\w+)=([^,]{1,200})/.exec(named);
  if (ids) return { targetType: ids[1], targetId: ids[2] };
  return { targetType: 'path', targetId: named.slice(0, 200) };
}

export function toAuditEventInput(record: AuditRecord): AuditEventInput {
  const actorType = record.apiKeyId
    ? 'API_KEY'
    : record.actorId
      ? 'USER'
      : record.actor === 'system'
        ? 'SYSTEM'
        : 'ANONYMOUS';
  return {
    actorType,
    ...(record.actorId ? { actorId: record.actorId } : {}),
    ...(record.apiKeyId ? { apiKeyId: record.apiKeyId } : {}),
    action: record.action,
    ...target(record),
    outcome: record.outcome === 'success' ? 'SUCCESS' : record.outcome === 'denied' ? 'DENIED' : 'FAILURE',
    requestId: record.requestId,
    ...(record.clientAddress && record.clientAddress !== 'unknown'
      ? { clientAddress: record.clientAddress }
      : {}),
    details: JSON.stringify({
      via: record.via,
      ...(record.code ? { code: record.code } : {}),
      ...(record.target ? { target: record.target } : {}),
    }),
  };
}

export function identityAuditAppender(federation: Federation): AuditAppender {
  return async (events) => {
    const response = await federation.dataSource('identity').process({
      // Not part of an incoming operation (Apollo's enum is not exported; its value is this string).
      kind: 'health check',
      request: { query: APPEND, variables: { events } },
      context: { viewer: { kind: 'system' }, requestId: randomUUID() } satisfies GatewayContext,
    } as unknown as GraphQLDataSourceProcessOptions<GatewayContext>);
    const error = response.errors?.[0];
    if (!error) return;
    const code = error.extensions?.code as string | undefined;
    const message = `identity refused the audit records: ${error.message}`;
    throw RETRYABLE.has(code) ? new Error(message) : new AuditAppendRefused(message);
  };
}
