// Input rules for alerts, checked before anything is written.
import { BadUserInputError, pageSize } from '@sting/kit';
import { AlertSeverities, type AlertSeverity, type AlertState } from './severity.ts';

export const TITLE_MAX = 200;
export const MESSAGE_MAX = 4000;
export const SOURCE_MAX = 100;
export const ALERTS_PAGE_MAX = 500;
export const DEFAULT_SOURCE = 'manual';
export const RULE_MAX = 100;
export const SUBJECT_MAX = 200;

export interface RaiseAlertInput {
  severity: AlertSeverity;
  title: string;
  message?: string | null;
  source?: string | null;
  rule?: string | null;
  subject?: string | null;
}

// Counted in code points, as PostgreSQL counts characters.
const length = (s: string) => [...s].length;

function bounded(value: string, field: string, max: number): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw new BadUserInputError(`The ${field} cannot be empty`, field);
  if (length(trimmed) > max)
    throw new BadUserInputError(`The ${field} is longer than ${max} characters`, field);
  return trimmed;
}

/** A validated alert, ready to store. */
export interface AlertDraft {
  severity: AlertSeverity;
  title: string;
  message: string | null;
  source: string;
  fingerprint: string;
}

export function alertInput(input: RaiseAlertInput): AlertDraft {
  if (!AlertSeverities.includes(input.severity)) throw new BadUserInputError('Unknown severity', 'severity');
  const message = input.message?.trim() ? input.message.trim() : null;
  if (message !== null && length(message) > MESSAGE_MAX) {
    throw new BadUserInputError(`The message is longer than ${MESSAGE_MAX} characters`, 'message');
  }
  const title = bounded(input.title, 'title', TITLE_MAX);
  const source = present(input.source) ? bounded(input.source, 'source', SOURCE_MAX) : DEFAULT_SOURCE;
  const rule = present(input.rule) ? bounded(input.rule, 'rule', RULE_MAX) : title;
  const subject = present(input.subject) ? bounded(input.subject, 'subject', SUBJECT_MAX) : '';
  return {
    severity: input.severity,
    title,
    message,
    source,
    fingerprint: fingerprintOf(source, rule, subject),
  };
}

const present = (value: string | null | undefined): value is string => value !== null && value !== undefined;

/** JSON keeps the three parts apart, so no source, rule or subject can forge another's fingerprint. */
export const fingerprintOf = (source: string, rule: string, subject: string) =>
  JSON.stringify([source, rule, subject]);

export function alertsPageSize(first: number | null | undefined): number {
  return pageSize(first, { default: 50, max: ALERTS_PAGE_MAX });
}

export interface AlertFilterInput {
  severity?: AlertSeverity | null;
  state?: AlertState | null;
  source?: string | null;
  since?: Date | null;
  until?: Date | null;
}

/** The filter with absent fields dropped; a source is matched as given (trimmed), so it is bounded like one. */
export function alertFilter(input: AlertFilterInput | null | undefined): AlertFilterInput {
  const filter = input ?? {};
  return {
    severity: filter.severity ?? null,
    state: filter.state ?? null,
    source: present(filter.source) ? bounded(filter.source, 'source', SOURCE_MAX) : null,
    since: filter.since ?? null,
    until: filter.until ?? null,
  };
}
