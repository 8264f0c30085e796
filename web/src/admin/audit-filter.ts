// The audit log screen's filter form turned into the auditEvents filter: empty fields are left out, local
// date-times become instants, and a range that ends before it starts is refused.

export interface AuditFilterForm {
  actor: string;
  action: string;
  outcome: AuditOutcome | '';
  /** yyyy-mm-ddThh:mm from datetime-local inputs, in the person's time zone. */
  from: string;
  to: string;
}

export type AuditOutcome = 'SUCCESS' | 'FAILURE' | 'DENIED';

export interface AuditFilterInput {
  actor?: string;
  action?: string;
  outcome?: AuditOutcome;
  from?: string;
  to?: string;
}

export function auditFilter(form: AuditFilterForm): { filter: AuditFilterInput } | { problem: string } {
  const filter: AuditFilterInput = {};
  if (form.actor.trim()) filter.actor = form.actor.trim();
  if (form.action.trim()) filter.action = form.action.trim();
  if (form.outcome) filter.outcome = form.outcome;
  for (const edge of ['from', 'to'] as const) {
    if (!form[edge]) continue;
    const at = new Date(form[edge]);
    if (Number.isNaN(at.getTime())) return { problem: `The “${edge}” time is not a date.` };
    filter[edge] = at.toISOString();
  }
  if (filter.from && filter.to && filter.from > filter.to)
    return { problem: 'The time range ends before it starts.' };
  return { filter };
}
