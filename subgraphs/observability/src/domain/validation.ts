// Input rules for alerts, checked before anything is written.
import { BadUserInputError } from '@sting/kit';
import { AlertSeverities, type AlertSeverity } from './severity.ts';

export const TITLE_MAX = 200;
export const MESSAGE_MAX = 4000;
export const SOURCE_MAX = 100;
export const ALERTS_PAGE_MAX = 500;
export const DEFAULT_SOURCE = 'manual';

export interface RaiseAlertInput {
  severity: AlertSeverity;
  title: string;
  message?: string | null;
  source?: string | null;
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
}

export function alertInput(input: RaiseAlertInput): AlertDraft {
  if (!AlertSeverities.includes(input.severity)) throw new BadUserInputError('Unknown severity', 'severity');
  const message = input.message?.trim() ? input.message.trim() : null;
  if (message !== null && length(message) > MESSAGE_MAX) {
    throw new BadUserInputError(`The message is longer than ${MESSAGE_MAX} characters`, 'message');
  }
  return {
    severity: input.severity,
    title: bounded(input.title, 'title', TITLE_MAX),
    message,
    source:
      input.source === null || input.source === undefined
        ? DEFAULT_SOURCE
        : bounded(input.source, 'source', SOURCE_MAX),
  };
}

export function alertsPageSize(first: number | null | undefined): number {
  const size = first ?? 50;
  if (!Number.isInteger(size) || size < 1 || size > ALERTS_PAGE_MAX) {
    throw new BadUserInputError(`first must be between 1 and ${ALERTS_PAGE_MAX}`, 'first');
  }
  return size;
}
