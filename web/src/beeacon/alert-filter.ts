// The alert list's filter form turned into the alerts query's filter (empty fields left out, local date-times
// made instants, a range ending before it starts refused), and whether a live alert belongs in the filtered list.
import type { AlertFilter, AlertSeverity, AlertState } from '../gql/graphql';
import { timeRange } from './time-range';

export const SEVERITIES: AlertSeverity[] = ['CRITICAL', 'WARNING', 'INFO'];
export const STATES: AlertState[] = ['OPEN', 'ACKNOWLEDGED', 'RESOLVED'];

export interface AlertFilterForm {
  severity: AlertSeverity | '';
  state: AlertState | '';
  source: string;
  /** yyyy-mm-ddThh:mm from datetime-local inputs, in the person's time zone. */
  since: string;
  until: string;
}

export const emptyAlertForm: AlertFilterForm = { severity: '', state: '', source: '', since: '', until: '' };

export function alertFilter(form: AlertFilterForm): { filter: AlertFilter } | { problem: string } {
  const filter: AlertFilter = {};
  if (form.severity) filter.severity = form.severity;
  if (form.state) filter.state = form.state;
  if (form.source.trim()) filter.source = form.source.trim();
  const checked = timeRange(form.since, form.until);
  if ('problem' in checked) return checked;
  return { filter: { ...filter, ...checked.range } };
}

/** A newly raised alert joins the list only when the list's filter would have returned it. */
export function matchesAlertFilter(
  alert: { severity: AlertSeverity; state: AlertState; source: string; createdAt: string },
  filter: AlertFilter,
): boolean {
  if (filter.severity && alert.severity !== filter.severity) return false;
  if (filter.state && alert.state !== filter.state) return false;
  if (filter.source && alert.source !== filter.source) return false;
  const at = Date.parse(alert.createdAt);
  if (filter.since && at < Date.parse(filter.since as string)) return false;
  if (filter.until && at >= Date.parse(filter.until as string)) return false;
  return true;
}
