// MFA and passkey events in the audit log, each written in the transaction of what it records (or on its own,
// for a refusal that changes nothing else).
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordAuditEvent } from '../audit/record.ts';

/** Where a request came from, as the audit log records it. */
export interface AuditTrail {
  requestId: string;
  clientAddress?: string | null;
}

/** The trail of a request, from what the gateway saw of its client. */
export function trailOf(request: { requestId: string; client?: { address?: string } }): AuditTrail {
  return { requestId: request.requestId, clientAddress: request.client?.address ?? null };
}

export type SecondFactorAction =
  | 'auth.totp.enrolled'
  | 'auth.totp.disabled'
  | 'auth.recovery_codes.regenerated'
  | 'auth.recovery_code.used'
  | 'auth.second_factor.verified'
  | 'auth.second_factor.failed'
  | 'auth.passkey.added'
  | 'auth.passkey.renamed'
  | 'auth.passkey.removed'
  | 'auth.passkey.sign_in';

export async function recordSecondFactorEvent(
  em: EntityManager,
  trail: AuditTrail,
  event: {
    action: SecondFactorAction;
    userId: string | null;
    outcome?: 'success' | 'failure' | 'denied';
    targetType?: string;
    targetId?: string;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await recordAuditEvent(em, {
    actor: event.userId ? { userId: event.userId } : { anonymous: true },
    action: event.action,
    targetType: event.targetType ?? (event.userId ? 'user' : undefined),
    targetId: event.targetId ?? event.userId ?? undefined,
    outcome: event.outcome ?? 'success',
    requestId: trail.requestId,
    clientAddress: trail.clientAddress ?? null,
    details: event.details,
  });
}
