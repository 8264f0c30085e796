// The log search form turned into the logs query's filter: empty fields left out, times made instants.
import type { LogFilter, LogLevel } from '../gql/graphql';
import { timeRange } from './time-range';

export const LEVELS: LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

export interface LogFilterForm {
  service: string;
  level: LogLevel | '';
  since: string;
  until: string;
  text: string;
}

export const emptyLogForm: LogFilterForm = { service: '', level: '', since: '', until: '', text: '' };

export function logFilter(form: LogFilterForm): { filter: LogFilter } | { problem: string } {
  const filter: LogFilter = {};
  if (form.service.trim()) filter.service = form.service.trim();
  if (form.level) filter.level = form.level;
  if (form.text.trim()) filter.text = form.text.trim();
  const checked = timeRange(form.since, form.until);
  if ('problem' in checked) return checked;
  return { filter: { ...filter, ...checked.range } };
}

/** The whole record, indented for reading; shown as text, never as markup. */
export function readableRecord(record: string): string {
  try {
    return JSON.stringify(JSON.parse(record), null, 2);
  } catch {
    return record;
  }
}
